/** tr46 (UTS #46, maintained with whatwg-url / jsdom) ships no types: the part the domain uses. */
declare module 'tr46' {
  export interface Uts46Options {
    checkHyphens?: boolean;
    checkBidi?: boolean;
    checkJoiners?: boolean;
    useSTD3ASCIIRules?: boolean;
    verifyDNSLength?: boolean;
    transitionalProcessing?: boolean;
    ignoreInvalidPunycode?: boolean;
  }
  /** The ASCII form, or null when the name is not valid under UTS #46. */
  export function toASCII(domainName: string, options?: Uts46Options): string | null;
  export function toUnicode(domainName: string, options?: Uts46Options): { domain: string; error: boolean };
}
