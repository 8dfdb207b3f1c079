// Type declarations for the untyped browser modules the components use (checked by `npm test`'s tsc).
declare module "observablehq:stdlib" {
  export interface FileAttachmentObject {
    readonly name: string;
    readonly href: string;
    url(): Promise<string>;
    json(): Promise<any>;
    arrayBuffer(): Promise<ArrayBuffer>;
  }
  export function FileAttachment(name: string): FileAttachmentObject;
}
declare module "htl" {
  export const html: {
    (strings: TemplateStringsArray, ...values: unknown[]): any;
    fragment(strings: TemplateStringsArray, ...values: unknown[]): DocumentFragment;
  };
  export const svg: {
    (strings: TemplateStringsArray, ...values: unknown[]): any;
    fragment(strings: TemplateStringsArray, ...values: unknown[]): DocumentFragment;
  };
}
// Untyped: every import from these is \`any\`.
declare module "@observablehq/inputs";
declare module "d3";
declare module "arquero/dist/arquero.js" {
  import * as arquero from "arquero";
  export default arquero;
}
