// What `coreone-inspect export` takes.
export interface ExportOptions {
  har: string;
  log: string;
  type?: string;
}
