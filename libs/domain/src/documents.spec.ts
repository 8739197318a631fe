import { resolve } from 'node:path';
import { loadRuleConfig } from '../../config/src/app-config';
import { checklist } from './checklist';
import { ACCEPTED_CONTENT_TYPES, PER_WEBSITE_DOCUMENTS, slotProblem, sniffContentType } from './documents';
import { DomainError, ERROR_CODES } from './errors';
import * as domain from './index';
import type { RuleConfig } from './rule-config';
import { validFacts, website } from './testing/facts';
import { DOCUMENT_TYPES, type DocumentType } from './types';

const CONFIG: RuleConfig = loadRuleConfig(resolve(__dirname, '../../../config/rules.json'));

const ascii = (text: string): number[] => Array.from(Buffer.from(text, 'latin1'));
/** A file's first bytes: the given header, then filler up to `length`. */
const file = (header: number[], length = 2048, fill = 0x20): Uint8Array => {
  const bytes = new Uint8Array(Math.max(length, header.length)).fill(fill);
  bytes.set(header);
  return bytes;
};
/** `offset` bytes of junk, then a PDF header. */
const pdfAt = (offset: number, length = 2048): Uint8Array => {
  const bytes = file([], length, 0x41);
  bytes.set(ascii('%PDF-1.4\n'), offset);
  return bytes;
};

const PDF = ascii('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
const JPEG_JFIF = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...ascii('JFIF\0'), 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00];
const JPEG_EXIF = [0xff, 0xd8, 0xff, 0xe1, 0x1c, 0x45, ...ascii('Exif\0\0'), ...ascii('MM\0*')];
const JPEG_RAW = [0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, ...ascii('IHDR'), 0x00, 0x00, 0x01, 0x00];
/** A Windows executable: the DOS stub. */
const EXE = [...ascii('MZ'), 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, ...ascii('This program cannot be run in DOS mode.')];
/** A Linux executable. */
const ELF = [0x7f, ...ascii('ELF'), 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x3e, 0x00];
/** A .docx (a zip) renamed to contract.pdf: the name is never looked at, only the bytes. */
const ZIP = [...ascii('PK'), 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, ...ascii('\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x13\0\0\0[Content_Types].xml')];

describe('sniffContentType', () => {
  it.each([
    ['a PDF', file(PDF), 'application/pdf'],
    ['a PDF of exactly its header', new Uint8Array(ascii('%PDF-')), 'application/pdf'],
    ['a JPEG (JFIF)', file(JPEG_JFIF), 'image/jpeg'],
    ['a JPEG (Exif, from a camera)', file(JPEG_EXIF), 'image/jpeg'],
    ['a JPEG (raw quantisation table first)', file(JPEG_RAW), 'image/jpeg'],
    ['a PNG', file(PNG), 'image/png'],
    ['a PNG of exactly its signature', new Uint8Array(PNG.slice(0, 8)), 'image/png'],
    ['a Node Buffer holding a PDF', Buffer.from(PDF), 'application/pdf'],
  ] as const)('recognises %s', (_, bytes, type) => {
    expect(sniffContentType(bytes)).toBe(type);
  });

  it.each([
    ['a Windows executable (MZ)', file(EXE)],
    ['a Linux executable (ELF)', file(ELF)],
    ['plain text', new Uint8Array(Buffer.from('Dear officer, please find our certificate attached.\n', 'utf8'))],
    ['plain text that talks about PDFs', new Uint8Array(Buffer.from('See the PDF version: %PDF 1.7 (no dash)\n', 'utf8'))],
    ['a zip (.docx) renamed .pdf', file(ZIP)],
    ['a GIF', file(ascii('GIF89a'))],
    ['HTML', new Uint8Array(Buffer.from('<!DOCTYPE html><html><body>%pdf-</body></html>', 'utf8'))],
    ['an empty file', new Uint8Array(0)],
    ['a truncated PDF header (%PDF)', new Uint8Array(ascii('%PDF'))],
    ['a lower-case PDF header', file(ascii('%pdf-1.4'))],
    ['a truncated JPEG signature', new Uint8Array([0xff, 0xd8])],
    ['a truncated PNG signature', new Uint8Array(PNG.slice(0, 7))],
    ['a PNG signature with one byte wrong', file([...PNG.slice(0, 7), 0x00])],
    ['a JPEG signature one byte in', file([0x00, ...JPEG_JFIF])],
    ['a PNG signature one byte in', file([0x00, ...PNG])],
    ['a Windows executable with a PDF header inside (polyglot)', new Uint8Array([...EXE, ...ascii('%PDF-1.7\n')])],
    ['a zip with a PDF header inside (polyglot)', new Uint8Array([...ZIP, ...ascii('%PDF-1.7\n')])],
    ['a shell script that mentions %PDF-', new Uint8Array(Buffer.from('#!/bin/sh\necho %PDF-1.7\n', 'utf8'))],
  ])('answers null for %s', (_, bytes) => {
    expect(sniffContentType(bytes)).toBeNull();
  });

  describe('a PDF header after junk (tolerated within the first 1024 bytes)', () => {
    it.each([1, 200, 1019])('at offset %i: application/pdf', (offset) => {
      expect(sniffContentType(pdfAt(offset))).toBe('application/pdf');
    });

    it.each([1020, 1024, 1500])('at offset %i (not wholly within the first 1024 bytes): null', (offset) => {
      expect(sniffContentType(pdfAt(offset))).toBeNull();
    });

    it('a header cut off by a short read is not found', () => {
      const short = pdfAt(100).subarray(0, 103); // "%PD"
      expect(sniffContentType(short)).toBeNull();
    });
  });

  it('reads a view at its own offset (a subarray of a larger buffer)', () => {
    const whole = new Uint8Array([...ascii('junk-junk-'), ...PNG]);
    expect(sniffContentType(whole)).toBeNull();
    expect(sniffContentType(whole.subarray(10))).toBe('image/png');
  });

  it('only ever answers an accepted type or null', () => {
    expect(ACCEPTED_CONTENT_TYPES).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
    for (const bytes of [PDF, JPEG_JFIF, PNG, EXE, ELF, ZIP]) {
      const type = sniffContentType(file(bytes));
      expect(type === null || ACCEPTED_CONTENT_TYPES.includes(type)).toBe(true);
    }
  });
});

describe('slotProblem', () => {
  const CASE_DOCUMENTS: DocumentType[] = ['ENTITY_CERTIFICATE', 'PRINCIPAL_ID', 'AUTHENTICITY_VERIFICATION_FORM'];

  it('every document type belongs either to a website or to the case', () => {
    expect(PER_WEBSITE_DOCUMENTS).toEqual(['WEBSITE_ADMIN_ID', 'AUTHORISATION_LETTER', 'PRE_APPROVAL', 'DOMAIN_CERTIFICATE']);
    expect([...PER_WEBSITE_DOCUMENTS, ...CASE_DOCUMENTS].sort()).toEqual([...DOCUMENT_TYPES].sort());
  });

  describe.each(PER_WEBSITE_DOCUMENTS)('%s (per website)', (type) => {
    it.each([
      [0, 1],
      [0, 3],
      [2, 3],
    ])('websiteIndex %i of %i websites is fine', (index, count) => {
      expect(slotProblem(type, index, count)).toBeNull();
    });

    it('without websiteIndex asks for one', () => {
      expect(slotProblem(type, null, 1)).toBe(`${type} belongs to a website: give websiteIndex`);
    });

    it.each([
      [1, 1],
      [3, 3],
      [7, 2],
      [0, 0],
    ])('websiteIndex %i of %i websites names no website', (index, count) => {
      expect(slotProblem(type, index, count)).toBe(`websiteIndex ${index} names no website (the case has ${count})`);
    });
  });

  it.each([-1, 0.5, Number.NaN])('websiteIndex %p is refused for any type', (index) => {
    expect(slotProblem('WEBSITE_ADMIN_ID', index, 3)).toBe('websiteIndex must be a whole number from 0');
    expect(slotProblem('PRINCIPAL_ID', index, 3)).toBe('websiteIndex must be a whole number from 0');
  });

  describe.each(CASE_DOCUMENTS)('%s (per case)', (type) => {
    it.each([1, 0, 3])('without websiteIndex is fine (%i websites)', (count) => {
      expect(slotProblem(type, null, count)).toBeNull();
    });

    it.each([0, 1])('with websiteIndex %i is refused', (index) => {
      expect(slotProblem(type, index, 2)).toBe(`${type} belongs to the case, not to a website: leave websiteIndex out`);
    });
  });

  it('every slot the checklist asks for is a valid slot', () => {
    const facts = validFacts((f) => {
      f.submissionProvince = 'CN-BJ';
      f.applicant.certificate = { number: '110100400012345', province: 'CN-BJ', validUntil: '2031-06-30' };
      f.websites = [website('康拓索新闻中心', 'news.contoso.cn', 'NEWS'), website('康拓索产品目录', 'contoso.cn', 'GENERAL')];
      f.hosting = { instances: [], slb: null, cdn: null };
    });
    const items = checklist(facts, CONFIG, []);
    // Every document type appears (CN-BJ adds domain certificates; NEWS a pre-approval; letters for both sites).
    expect(new Set(items.map((i) => i.type))).toEqual(new Set(DOCUMENT_TYPES));
    for (const { type, websiteIndex } of items) {
      expect([type, websiteIndex, slotProblem(type, websiteIndex, facts.websites.length)]).toEqual([type, websiteIndex, null]);
    }
  });
});

describe('document error codes', () => {
  it.each(['DOCUMENT_NOT_FOUND', 'DOCUMENT_SUPERSEDED'] as const)('%s is an error code', (code) => {
    expect(ERROR_CODES).toContain(code);
    expect(new DomainError(code, 'x')).toMatchObject({ code, name: 'DomainError', details: null });
  });
});

describe('the library index', () => {
  it('exports the document helpers', () => {
    expect(domain.sniffContentType).toBe(sniffContentType);
    expect(domain.slotProblem).toBe(slotProblem);
    expect(domain.PER_WEBSITE_DOCUMENTS).toBe(PER_WEBSITE_DOCUMENTS);
  });
});
