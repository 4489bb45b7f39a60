import * as zlib from 'node:zlib';

// Read from the namespace: a named import of crc32 would fail to load on Node before 20.15.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/**
 * A zip of a few small files, deflated by Node's own zlib: three times faster than deflating in
 * JavaScript, which mattered for the access answer (made while the person waits for the e-mail).
 * No zip64: an export is kilobytes, far below the format's 4 GiB and 65,535 entries.
 */
export function zipFiles(files: Record<string, Uint8Array>, modified: Date, level = 6): Uint8Array {
  const { time, date } = dosDateTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const fileName = Buffer.from(name, 'utf8');
    const data = zlib.deflateRawSync(content, { level });
    const crc = crc32(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeCommon(local, 4, {
      time,
      date,
      crc,
      compressed: data.length,
      size: content.length,
      nameLength: fileName.length,
    });
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: version 2.0
    writeCommon(central, 6, {
      time,
      date,
      crc,
      compressed: data.length,
      size: content.length,
      nameLength: fileName.length,
    });
    // 32: comment length, 34: disk, 36: internal and 38: external attributes stay 0.
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = Object.keys(files).length;
  if (count > 0xffff || offset + directory.length > 0xffffffff) throw new Error('too large for a zip without zip64');
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

/** The fields a local header (at 4) and a central directory entry (at 6) share, from "version needed" on. */
function writeCommon(
  b: Buffer,
  at: number,
  f: { time: number; date: number; crc: number; compressed: number; size: number; nameLength: number },
): void {
  b.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
  b.writeUInt16LE(0x0800, at + 2); // the name is UTF-8
  b.writeUInt16LE(8, at + 4); // deflate
  b.writeUInt16LE(f.time, at + 6);
  b.writeUInt16LE(f.date, at + 8);
  b.writeUInt32LE(f.crc, at + 10);
  b.writeUInt32LE(f.compressed, at + 14);
  b.writeUInt32LE(f.size, at + 18);
  b.writeUInt16LE(f.nameLength, at + 22);
  // at + 24: extra field length 0
}

/** MS-DOS date and time of `at`'s UTC wall clock (a zip has no time zone), 1980 at the earliest. */
function dosDateTime(at: Date): { time: number; date: number } {
  const d = at.getUTCFullYear() < 1980 ? new Date(Date.UTC(1980, 0, 1)) : at;
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

let table: Uint32Array | undefined;
/** CRC-32 of zip: zlib's own where Node has it (20.15 and later), a table otherwise. */
export function crc32(data: Uint8Array, previous = 0): number {
  if (typeof nativeCrc32 === 'function') return nativeCrc32(data, previous) >>> 0;
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let c = (previous ^ 0xffffffff) >>> 0;
  for (const byte of data) c = table[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
