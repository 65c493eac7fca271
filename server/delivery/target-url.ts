// The one rule for a URL the user gives a sender (--to, --forward-to); imports nothing, so
// the CLI checks it while parsing options without loading the sender.

/** A target URL the user gave (--to, --forward-to), refused in one sentence when unusable. */
export function parseTargetUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`"${text}" is not a URL; give one such as http://localhost:3000/webhooks.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`"${text}" is not an http:// or https:// URL.`);
  }
  return url;
}
