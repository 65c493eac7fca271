// The free-text filter's test, shared by the TUI's and the page's filter (cli/ui/model/
// filter.ts) and the stream's search question (questions.ts), so that an event is kept
// alike whether the client holds its body or asked the log. Imports nothing: the page's
// bundle takes it too.

/** The query's text taken literally, case-insensitively. */
export function queryPattern(query: string): RegExp {
  return new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}
