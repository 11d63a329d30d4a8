/** Shared types of the describe package. */

export interface DescribeReader {
  /** one object or undefined when NotFound. group '' = core. resource = plural lowercase ("pods", "endpointslices") */
  get(group: string, version: string, resource: string, namespace: string | undefined, name: string): Promise<any | undefined>;
  /** list items (plain JSON objects) */
  list(group: string, version: string, resource: string, opts: { namespace?: string; labelSelector?: string; fieldSelector?: string }): Promise<any[]>;
}

export interface DescribeSettings {
  showEvents: boolean;
  chunkSize?: number;
  now: Date;
  /** IANA tz or 'UTC' for RFC1123Z timestamps; default process tz */
  tz?: string;
}

/** what every describer gets */
export interface DescribeContext {
  reader: DescribeReader;
  settings: DescribeSettings;
  now: Date;
  tz: string | undefined;
}

export type Describer = (obj: any, ctx: DescribeContext) => Promise<string>;
