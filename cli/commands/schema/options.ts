// What `coreone-inspect schema` takes.
export type SchemaFormat = 'json-schema' | 'typescript';

export interface SchemaOptions {
  log?: string;
  fixtures?: string;
  format: SchemaFormat;
  drift?: boolean;
}
