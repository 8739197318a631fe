import type { DocumentType } from './types';

/** What an uploaded file really is, from its first bytes; the client's word is not taken. */
export type SniffedContentType = 'application/pdf' | 'image/jpeg' | 'image/png';

export const ACCEPTED_CONTENT_TYPES: readonly SniffedContentType[] = ['application/pdf', 'image/jpeg', 'image/png'];

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

/** Executables and archives: refused even when a PDF header appears inside them (polyglots). */
const EXECUTABLE_SIGNATURES: number[][] = [
  [0x4d, 0x5a], // MZ: Windows PE
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0xcf, 0xfa, 0xed, 0xfe], // Mach-O
  [0x50, 0x4b, 0x03, 0x04], // ZIP, JAR, Office
  [0x23, 0x21], // #! script
];

export function sniffContentType(head: Uint8Array): SniffedContentType | null {
  if (EXECUTABLE_SIGNATURES.some((signature) => startsWith(head, signature))) return null;
  // PDF: "%PDF-" (some producers put up to 1 KiB of junk before it; the spec tolerates that).
  const window = head.subarray(0, Math.min(head.length, 1024));
  for (let i = 0; i + 5 <= window.length; i++) {
    if (startsWith(window, [0x25, 0x50, 0x44, 0x46, 0x2d], i)) return 'application/pdf';
  }
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  return null;
}

/** Document types that belong to one website (and so need its index). */
export const PER_WEBSITE_DOCUMENTS: readonly DocumentType[] = [
  'WEBSITE_ADMIN_ID',
  'AUTHORISATION_LETTER',
  'PRE_APPROVAL',
  'DOMAIN_CERTIFICATE',
];

/** Checks a slot (type, websiteIndex) against the case's websites; answers a problem or null. */
export function slotProblem(type: DocumentType, websiteIndex: number | null, websiteCount: number): string | null {
  if (websiteIndex !== null && (!Number.isInteger(websiteIndex) || websiteIndex < 0)) {
    return `websiteIndex must be a whole number from 0`;
  }
  if (PER_WEBSITE_DOCUMENTS.includes(type)) {
    if (websiteIndex === null) return `${type} belongs to a website: give websiteIndex`;
    if (websiteIndex >= websiteCount) return `websiteIndex ${websiteIndex} names no website (the case has ${websiteCount})`;
    return null;
  }
  return websiteIndex === null ? null : `${type} belongs to the case, not to a website: leave websiteIndex out`;
}
