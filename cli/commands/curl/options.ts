// What `coreone-inspect curl` takes.
export interface CurlOptions {
  to: string;
}
