/**
 * Files for the documents tests, built here so each is exactly what a test needs: a DOCX (a real
 * ZIP with `word/document.xml`), a ZIP bomb named like one, a password-protected PDF (a standard
 * security handler whose user password is not empty), a corrupt PDF, a PDF of N pages, and a PNG
 * whose header declares 20,000×20,000 pixels (no pixel data: tier 1 must refuse it from the header).
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { PDFDocument } from '@napi-rs/canvas';

interface ZipFile {
  name: string;
  data: Buffer;
  /** Store the entry deflated (default) or as is. */
  deflate?: boolean;
  /** Declared uncompressed size in the headers (default the real one): a bomb may lie. */
  declaredSize?: number;
}

/** A ZIP archive of `files` (local headers, central directory, end record). */
export function buildZip(files: ZipFile[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const deflate = f.deflate ?? true;
    const body = deflate ? deflateRawSync(f.data) : f.data;
    const size = f.declaredSize ?? f.data.length;
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A minimal DOCX: each string a paragraph; `null` is an explicit page break. */
export function buildDocx(paragraphs: Array<string | null>): Buffer {
  const body = paragraphs
    .map((p) => (p === null ? '<w:p><w:r><w:br w:type="page"/></w:r></w:p>' : `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t xml:space="preserve">${escapeXml(p)}</w:t></w:r></w:p>`))
    .join('');
  const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;
  const types = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
  return buildZip([{ name: '[Content_Types].xml', data: Buffer.from(types) }, { name: 'word/document.xml', data: Buffer.from(xml) }]);
}

/**
 * A ZIP bomb saved as .docx: `word/document.xml` inflates to `mib` MiB of zeros (a kilobyte or
 * so on the wire). With `honest` false its headers claim a small size, so only the bounded
 * inflate can catch it.
 */
export function buildZipBomb(mib = 100, honest = true): Buffer {
  const zeros = Buffer.alloc(mib * 1024 * 1024);
  return buildZip([{ name: 'word/document.xml', data: zeros, ...(honest ? {} : { declaredSize: 1000 }) }]);
}

/** A PDF whose encryption dictionary asks for a user password (pdf.js: PasswordException). */
export function encryptedPdf(): Buffer {
  const hex32 = (b: number) => Buffer.alloc(32, b).toString('hex');
  const objects = [
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
    `4 0 obj << /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <${hex32(0x41)}> /U <${hex32(0x42)}> >> endobj`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const o of objects) {
    offsets.push(out.length);
    out += `${o}\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer << /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${'ab'.repeat(16)}> <${'ab'.repeat(16)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Bytes that start like a PDF and are not one. */
export function corruptPdf(): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x7a), Buffer.from('\n%%EOF\n')]);
}

/** A born-digital PDF of `pages` pages, each with one line of text. */
export function pdfOfPages(pages: number, line = (i: number) => `Page ${i + 1} of the record`): Buffer {
  const doc = new PDFDocument({ title: 'pages' });
  for (let i = 0; i < pages; i++) {
    const ctx = doc.beginPage(200, 200);
    ctx.fillStyle = '#000000';
    ctx.font = '10px sans-serif';
    ctx.fillText(line(i), 10, 20);
    doc.endPage();
  }
  return doc.close();
}

/** A PNG signature and IHDR declaring `width`×`height` (8-bit grey), one empty IDAT and IEND. */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateRawSync(Buffer.alloc(0))), chunk('IEND', Buffer.alloc(0))]);
}
