//! The Anki package's zip container, written here so that deflate can run
//! on every core: the input is cut into fixed 256 KiB slices, each slice is
//! deflated on its own (primed with the 32 KiB before it, as pigz does, so
//! matches still reach across the cut) and ends on a byte boundary, and the
//! slices are joined into one deflate stream. The slicing never depends on
//! the number of cores, so neither do the bytes. Entries are stored in the
//! order given, stamped 1980-01-01 00:00 with mode 0644; no zip64 (an entry
//! must stay under 4 GiB). zip 0.5, the version genanki-rs links, can only
//! deflate on one thread and cannot take data deflated elsewhere.

use flate2::{Compress, Compression, FlushCompress, Status};
use std::io::{self, Read, Write};

/// Input per independently deflated slice.
const SLICE: usize = 256 * 1024;
/// Deflate's window: how far back a slice's dictionary reaches.
const WINDOW: usize = 32 * 1024;
/// Input read and deflated at a time (bounds the memory a large file takes).
const BATCH: usize = 32 * SLICE;

/// One entry's data, deflated: the slices' deflate blocks in order (kept
/// apart, so they are never copied into one buffer), with the CRC-32 and
/// the size of the data.
pub struct Deflated {
    parts: Vec<Vec<u8>>,
    crc: u32,
    size: u64,
}

impl Deflated {
    /// Bytes of deflated data.
    fn len(&self) -> u64 {
        self.parts.iter().map(|p| p.len() as u64).sum()
    }

    /// The deflated data in one buffer (for the tests).
    #[cfg(test)]
    fn data(&self) -> Vec<u8> {
        self.parts.concat()
    }
}

/// Deflates the `len` bytes `src` gives, slice by slice on every core.
pub fn deflate(mut src: impl Read, len: u64) -> Result<Deflated, String> {
    let mut crc = crc32fast::Hasher::new();
    let mut data = Vec::new();
    // Up to a window of input before the batch, for its first slice.
    let mut tail: Vec<u8> = Vec::new();
    let mut done: u64 = 0;
    loop {
        let want = usize::try_from((len - done).min(BATCH as u64)).unwrap_or(BATCH);
        let mut buf = Vec::with_capacity(tail.len() + want);
        buf.extend_from_slice(&tail);
        let base = buf.len();
        buf.resize(base + want, 0);
        src.read_exact(&mut buf[base..])
            .map_err(|e| format!("reading the collection: {e}"))?;
        crc.update(&buf[base..]);
        done += want as u64;
        let last_batch = done == len;
        let mut slices: Vec<(usize, usize, bool)> = (base..buf.len())
            .step_by(SLICE)
            .map(|s| {
                let e = (s + SLICE).min(buf.len());
                (s, e, last_batch && e == buf.len())
            })
            .collect();
        if slices.is_empty() {
            // Empty input: one empty final block.
            slices.push((base, base, true));
        }
        let parts = crate::par::map_coarse(slices, |(s, e, last)| {
            slice(&buf[s.saturating_sub(WINDOW)..s], &buf[s..e], last)
        });
        for p in parts {
            data.push(p?);
        }
        if last_batch {
            break;
        }
        tail = buf[buf.len().saturating_sub(WINDOW)..].to_vec();
    }
    Ok(Deflated {
        parts: data,
        crc: crc.finalize(),
        size: len,
    })
}

/// The deflate level. 2 rather than zlib's default 6: zlib-rs deflated the
/// 87 MB collection of 100k notes in 300 ms at level 2, 484 ms at level 5
/// and 611 ms at level 6 (one core), for 20.7 MB, 18.1 MB and 17.9 MB; the
/// apkg emitter at 100k took 851 ms instead of 956 ms (medians of 5), and
/// the seed package grew from 180 KB to 198 KB (BENCHMARKS.md).
const LEVEL: u32 = 2;

/// One slice as raw deflate blocks: primed with `dictionary`, ending with a
/// sync flush (byte-aligned, stream still open) or, for the last slice, the
/// final block.
fn slice(dictionary: &[u8], input: &[u8], last: bool) -> Result<Vec<u8>, String> {
    let err = |e: flate2::CompressError| format!("deflate: {e}");
    let mut c = Compress::new(Compression::new(LEVEL), false);
    if !dictionary.is_empty() {
        c.set_dictionary(dictionary).map_err(err)?;
    }
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    let mut out = Vec::with_capacity(input.len() / 2 + 1024);
    loop {
        if out.len() == out.capacity() {
            out.reserve(64 * 1024);
        }
        let consumed = usize::try_from(c.total_in()).unwrap_or(input.len());
        let status = c
            .compress_vec(input.get(consumed..).unwrap_or(&[]), &mut out, flush)
            .map_err(err)?;
        let all_in = usize::try_from(c.total_in()).unwrap_or(0) == input.len();
        // A flush is complete when it left output space unused.
        let finished = if last {
            status == Status::StreamEnd
        } else {
            all_in && out.len() < out.capacity()
        };
        if finished {
            return Ok(out);
        }
    }
}

/// The zip archive of `entries` (name, deflated data), in that order, in
/// memory (for the tests).
#[cfg(test)]
pub fn archive(entries: &[(&str, Deflated)]) -> Result<Vec<u8>, String> {
    check(entries)?;
    let mut out = Vec::new();
    write_archive(entries, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Whether `entries` fit in a zip archive without zip64: each entry and
/// the whole archive under 4 GiB, names under 64 KiB, under 64 Ki entries.
pub fn check(entries: &[(&str, Deflated)]) -> Result<(), String> {
    let mut total: u64 = 0;
    for (name, d) in entries {
        if u16::try_from(name.len()).is_err() {
            return Err(format!("entry name too long: {name}"));
        }
        if u32::try_from(d.len()).is_err() || u32::try_from(d.size).is_err() {
            return Err(format!("{name} is 4 GiB or more (no zip64)"));
        }
        // Both headers, the name twice.
        total += d.len() + 76 + 2 * name.len() as u64;
    }
    if u16::try_from(entries.len()).is_err() {
        return Err("too many entries".to_string());
    }
    if u32::try_from(total + 22).is_err() {
        return Err("the archive is 4 GiB or more (no zip64)".to_string());
    }
    Ok(())
}

/// Writes the zip archive of `entries` to `out`, streaming each entry's
/// deflated parts. `entries` must pass `check`.
pub fn write_archive(entries: &[(&str, Deflated)], out: &mut impl Write) -> io::Result<()> {
    const DOS_DATE_1980_01_01: u16 = (1 << 5) | 1;
    const VERSION: u16 = 20;
    const UNIX_0644: u32 = 0o100644 << 16;
    let too_big = |what: &str| io::Error::other(format!("{what} does not fit in a zip archive"));
    let u32_of = |n: u64, what: &str| u32::try_from(n).map_err(|_| too_big(what));
    let mut written: u64 = 0;
    let mut central = Vec::new();
    for (name, d) in entries {
        let offset = u32_of(written, "the archive")?;
        let (csize, usize_) = (u32_of(d.len(), name)?, u32_of(d.size, name)?);
        let name_len = u16::try_from(name.len()).map_err(|_| too_big(name))?;
        // Fields shared by the local and the central header, from "version
        // needed" to the name's length.
        let mut common = Vec::with_capacity(26);
        for v in [VERSION, 0, 8, 0, DOS_DATE_1980_01_01] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        for v in [d.crc, csize, usize_] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        common.extend_from_slice(&name_len.to_le_bytes());
        let mut local = Vec::with_capacity(30 + name.len());
        local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        local.extend_from_slice(&common);
        local.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        local.extend_from_slice(name.as_bytes());
        out.write_all(&local)?;
        for part in &d.parts {
            out.write_all(part)?;
        }
        written += local.len() as u64 + d.len();
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&((3u16 << 8) | VERSION).to_le_bytes()); // made by: Unix
        central.extend_from_slice(&common);
        for v in [0u16, 0, 0, 0] {
            // extra, comment, disk number, internal attributes
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&UNIX_0644.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = u32_of(written, "the archive")?;
    let cd_size = u32_of(central.len() as u64, "the central directory")?;
    let count = u16::try_from(entries.len()).map_err(|_| too_big("the entry count"))?;
    let mut end = central;
    end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, count, count] {
        end.extend_from_slice(&v.to_le_bytes());
    }
    end.extend_from_slice(&cd_size.to_le_bytes());
    end.extend_from_slice(&cd_offset.to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes()); // comment length
    out.write_all(&end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    /// Data that compresses like a collection: repeated text with variation.
    fn sample(len: usize) -> Vec<u8> {
        let mut x: u32 = 7;
        (0..len)
            .map(|i| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                if i % 7 == 0 {
                    (x >> 24) as u8
                } else {
                    b"the notes table of an anki collection "[i % 38]
                }
            })
            .collect()
    }

    fn read_back(zip: &[u8]) -> Vec<(String, Vec<u8>, u32)> {
        let mut a = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        (0..a.len())
            .map(|i| {
                let mut f = a.by_index(i).unwrap();
                let mut data = Vec::new();
                f.read_to_end(&mut data).unwrap(); // checks the CRC too
                let t = f.last_modified();
                assert_eq!((t.year(), t.month(), t.day(), t.hour()), (1980, 1, 1, 0));
                (f.name().to_string(), data, f.unix_mode().unwrap())
            })
            .collect()
    }

    #[test]
    fn zip_crate_reads_back_every_size() {
        // Empty, one slice, a slice boundary, several batches plus a bit.
        for len in [
            0,
            1,
            1000,
            SLICE,
            SLICE + 1,
            3 * SLICE - 5,
            BATCH,
            BATCH + 2 * SLICE + 17,
        ] {
            let data = sample(len);
            let d = deflate(&data[..], len as u64).unwrap();
            if len > 10_000 {
                assert!(d.data().len() < len / 2, "{len}: {} bytes", d.data().len());
            }
            let zip = archive(&[
                ("collection.anki2", d),
                ("media", deflate(&b"{}"[..], 2).unwrap()),
            ])
            .unwrap();
            let back = read_back(&zip);
            assert_eq!(back.len(), 2);
            assert_eq!(
                (back[0].0.as_str(), &back[0].1),
                ("collection.anki2", &data),
                "{len}"
            );
            assert_eq!(
                (back[1].0.as_str(), back[1].1.as_slice()),
                ("media", &b"{}"[..])
            );
            assert_eq!(back[0].2 & 0o777, 0o644);
        }
    }

    #[test]
    fn bytes_do_not_depend_on_the_thread_count() {
        // Slices are handed to as many workers as `par` has; the stream is
        // the same because the slicing is fixed. Two runs, and a reference
        // made slice by slice on this thread.
        let data = sample(BATCH + 5 * SLICE + 3);
        let one = deflate(&data[..], data.len() as u64).unwrap();
        let two = deflate(&data[..], data.len() as u64).unwrap();
        assert!(one.data() == two.data());
        let mut serial = Vec::new();
        let starts: Vec<usize> = (0..data.len()).step_by(SLICE).collect();
        for &s in &starts {
            let e = (s + SLICE).min(data.len());
            serial.extend(
                slice(
                    &data[s.saturating_sub(WINDOW)..s],
                    &data[s..e],
                    e == data.len(),
                )
                .unwrap(),
            );
        }
        assert!(one.data() == serial, "parallel and serial streams differ");
    }

    #[test]
    fn a_short_read_is_an_error() {
        let e = deflate(&b"abc"[..], 10).err().unwrap();
        assert!(e.contains("reading the collection"), "{e}");
    }

    #[test]
    fn what_needs_zip64_is_refused_before_anything_is_written() {
        let big = Deflated {
            parts: Vec::new(),
            crc: 0,
            size: 1 << 32,
        };
        let e = check(&[("collection.anki2", big)]).unwrap_err();
        assert!(e.contains("collection.anki2 is 4 GiB or more"), "{e}");
        let long = "n".repeat(70_000);
        let e = check(&[(long.as_str(), deflate(&b"{}"[..], 2).unwrap())]).unwrap_err();
        assert!(e.starts_with("entry name too long"), "{e}");
        assert!(check(&[("media", deflate(&b"{}"[..], 2).unwrap())]).is_ok());
    }

    #[test]
    fn a_failed_write_stops_the_archive() {
        use crate::emit::tests::Full;
        let data = sample(3 * SLICE);
        let entries = [(
            "collection.anki2",
            deflate(&data[..], data.len() as u64).unwrap(),
        )];
        let whole = archive(&entries).unwrap();
        for room in [0, 10, 40, whole.len() - 30] {
            let e = write_archive(&entries, &mut Full::new(room)).unwrap_err();
            assert_eq!(e.to_string(), "disk full", "room {room}");
        }
        assert!(write_archive(&entries, &mut Full::new(whole.len())).is_ok());
    }
}
