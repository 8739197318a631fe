/** Small real files of each accepted kind, and things that only pretend to be. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
]);
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF\0'), Buffer.alloc(32, 7)]);
/** A Windows executable ("MZ") named .pdf by its sender. */
export const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 0x90), Buffer.from('This program cannot be run in DOS mode')]);

/** A distinct valid PDF each call (so uploads do not collapse into one as duplicates). */
export const pdfNamed = (text: string) => Buffer.concat([PDF, Buffer.from(`% ${text}\n`)]);

/** A PDF of `bytes` size (padding in a comment). */
export function pdfOfSize(bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes, 0x20);
  PDF.copy(buffer);
  return buffer;
}
