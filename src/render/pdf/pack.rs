//! Packs the small objects of a finished PDF into compressed object streams.
//!
//! A tagged briefing has hundreds of structure elements, each a small dictionary that krilla
//! writes as an object of its own, uncompressed: about half the file. PDF 1.5 lets such objects
//! sit together in a compressed object stream, indexed by a cross-reference stream; PDF/A-2 and
//! PDF/UA-1 allow both. This pass reads krilla's classic cross-reference table, keeps every
//! stream object as it is (content, fonts, metadata), moves every other object into object
//! streams, and writes a cross-reference stream in place of the table. Object numbers do not
//! change, so no reference needs rewriting. The output depends only on the input.

use std::io::Write as _;

/// A stream object: its number, its body, and the body compressed again if that is smaller.
type Stream<'a> = (u32, &'a [u8], Option<Vec<u8>>);

/// The largest file whose streams are compressed again at the best level.
const RECOMPRESS_UP_TO: usize = 1 << 20;

/// Objects per object stream.
const PER_STREAM: usize = 5000;

/// `pdf` with its non-stream objects in object streams; `None` when it is not laid out as
/// krilla writes (then the caller keeps it as it is).
pub fn pack(pdf: &[u8]) -> Option<Vec<u8>> {
    let xref_at = find_last(pdf, b"\nxref\n")? + 1;
    let trailer = trailer_entries(&pdf[xref_at..])?;
    let offsets = xref_offsets(&pdf[xref_at..])?;
    let objects = slice_objects(pdf, &offsets, xref_at)?;
    let header_end = find(pdf, b"\n1 0 obj").map(|i| i + 1)?;
    let mut out = pdf[..header_end].to_vec();
    // (object number, kind 1 at an offset / kind 2 in a stream at an index).
    let mut entries: Vec<(u32, u8, u64, u16)> = Vec::new();
    let mut small: Vec<(u32, &[u8])> = Vec::new();
    let catalog = with_outline_shown(&objects);
    let mut streams: Vec<Stream<'_>> = Vec::new();
    for (num, body) in &objects {
        let body = match &catalog {
            Some((n, c)) if n == num => c.as_slice(),
            _ => body,
        };
        match body.ends_with(b"endstream") {
            true => streams.push((*num, body, None)),
            false => small.push((*num, body)),
        }
    }
    // Compressing again at the best level saves about 1% and costs three times krilla's own
    // compression: worth it for a briefing of a few pages (the size people compare), not for one
    // of hundreds, where it was a fifth of the run. On every core.
    if pdf.len() <= RECOMPRESS_UP_TO {
        crate::base::parallel::for_each_mut(&mut streams, |(_, body, better)| {
            *better = recompress(body)
        });
    }
    for (num, body, better) in streams {
        entries.push((num, 1, out.len() as u64, 0));
        writeln!(out, "{num} 0 obj").ok()?;
        out.extend_from_slice(better.as_deref().unwrap_or(body));
        out.extend_from_slice(b"\nendobj\n\n");
    }
    let mut next = offsets.len() as u32;
    for chunk in small.chunks(PER_STREAM) {
        let stream_num = next;
        next += 1;
        for (index, (num, _)) in chunk.iter().enumerate() {
            entries.push((*num, 2, u64::from(stream_num), index as u16));
        }
        entries.push((stream_num, 1, out.len() as u64, 0));
        object_stream(&mut out, stream_num, chunk)?;
    }
    let xref_num = next;
    entries.push((xref_num, 1, out.len() as u64, 0));
    xref_stream(&mut out, xref_num, &mut entries, &trailer)?;
    Some(out)
}

/// The catalog, opening with the outline shown (`/PageMode/UseOutlines`), which krilla does not
/// write: (its number, its new body), when it has an outline.
fn with_outline_shown(objects: &[(u32, &[u8])]) -> Option<(u32, Vec<u8>)> {
    let (num, body) = objects
        .iter()
        .find(|(_, b)| find(b, b"/Type/Catalog").is_some())?;
    find(body, b"/Outlines ")?;
    let rest = body.strip_prefix(b"<<")?;
    Some((*num, [b"<</PageMode/UseOutlines".as_slice(), rest].concat()))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The trailer dictionary's entries but /Size, as written (`/Root 5 0 R/Info 3 0 R/ID[…]`).
fn trailer_entries(tail: &[u8]) -> Option<Vec<u8>> {
    let start = find(tail, b"trailer")? + b"trailer".len();
    let open = start + find(&tail[start..], b"<<")? + 2;
    let close = open + find(&tail[open..], b">>\nstartxref")?;
    let dict = &tail[open..close];
    let size = find(dict, b"/Size")?;
    let mut end = size + b"/Size".len();
    while dict
        .get(end)
        .is_some_and(|b| b.is_ascii_whitespace() || b.is_ascii_digit())
    {
        end += 1;
    }
    Some([&dict[..size], &dict[end..]].concat())
}

/// Object offsets by number, from the table (`xref\n0 N\n` and N 20-byte entries).
fn xref_offsets(tail: &[u8]) -> Option<Vec<Option<usize>>> {
    let text = std::str::from_utf8(&tail[..tail.len().min(64)]).ok()?;
    let mut lines = text.lines().skip(1);
    let header = lines.next()?;
    let (first, count) = header.split_once(' ')?;
    let (first, count): (usize, usize) = (first.parse().ok()?, count.trim().parse().ok()?);
    if first != 0 {
        return None;
    }
    let start = find(tail, header.as_bytes())? + header.len() + 1;
    (0..count)
        .map(|i| {
            let e = tail.get(start + 20 * i..start + 20 * i + 20)?;
            let off: usize = std::str::from_utf8(&e[..10]).ok()?.parse().ok()?;
            Some((e[17] == b'n').then_some(off))
        })
        .collect()
}

/// Each object's body (between `N 0 obj` and `endobj`), in number order.
fn slice_objects<'a>(
    pdf: &'a [u8],
    offsets: &[Option<usize>],
    end: usize,
) -> Option<Vec<(u32, &'a [u8])>> {
    let mut starts: Vec<(usize, u32)> = offsets
        .iter()
        .enumerate()
        .filter_map(|(n, o)| o.map(|o| (o, n as u32)))
        .collect();
    starts.sort_unstable();
    let mut out = Vec::with_capacity(starts.len());
    for (i, (at, num)) in starts.iter().enumerate() {
        let stop = starts.get(i + 1).map_or(end, |s| s.0);
        let raw = pdf.get(*at..stop)?;
        let head = format!("{num} 0 obj");
        let body = raw.strip_prefix(head.as_bytes())?;
        let body_end = find_last(body, b"endobj")?;
        out.push((*num, body[..body_end].trim_ascii()));
    }
    out.sort_unstable_by_key(|(n, _)| *n);
    Some(out)
}

/// A Flate stream object compressed again at the best level (krilla uses zlib's default),
/// when that is smaller; `None` to keep it as it is.
fn recompress(body: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read as _;
    let dict_end = find(body, b">>")?;
    let dict = &body[..dict_end];
    if !dict.windows(19).any(|w| w == b"/Filter/FlateDecode") {
        return None;
    }
    let key = find(dict, b"/Length ")? + b"/Length ".len();
    let digits = dict[key..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let length: usize = std::str::from_utf8(&dict[key..key + digits])
        .ok()?
        .parse()
        .ok()?;
    let data_start = dict_end + find(&body[dict_end..], b"stream\n")? + b"stream\n".len();
    let data = body.get(data_start..data_start + length)?;
    let mut plain = Vec::new();
    flate2::read::ZlibDecoder::new(data)
        .read_to_end(&mut plain)
        .ok()?;
    let packed = deflate(&plain)?;
    if packed.len() >= data.len() {
        return None;
    }
    let mut out = Vec::with_capacity(body.len());
    out.extend_from_slice(&dict[..key]);
    out.extend_from_slice(packed.len().to_string().as_bytes());
    out.extend_from_slice(&body[key + digits..data_start]);
    out.extend_from_slice(&packed);
    out.extend_from_slice(&body[data_start + length..]);
    Some(out)
}

/// zlib at its best level for data up to [`RECOMPRESS_UP_TO`], at its default above.
fn deflate(data: &[u8]) -> Option<Vec<u8>> {
    let level = match data.len() <= RECOMPRESS_UP_TO {
        true => flate2::Compression::best(),
        false => flate2::Compression::default(),
    };
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), level);
    z.write_all(data).ok()?;
    z.finish().ok()
}

fn object_stream(out: &mut Vec<u8>, num: u32, objects: &[(u32, &[u8])]) -> Option<()> {
    let mut index = String::new();
    let mut bodies = Vec::new();
    for (n, body) in objects {
        index.push_str(&format!("{n} {} ", bodies.len()));
        bodies.extend_from_slice(body);
        bodies.push(b'\n');
    }
    let data = deflate(&[index.as_bytes(), &bodies].concat())?;
    write!(
        out,
        "{num} 0 obj\n<</Type/ObjStm/N {}/First {}/Filter/FlateDecode/Length {}>>\nstream\n",
        objects.len(),
        index.len(),
        data.len()
    )
    .ok()?;
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\nendstream\nendobj\n\n");
    Some(())
}

fn xref_stream(
    out: &mut Vec<u8>,
    num: u32,
    entries: &mut [(u32, u8, u64, u16)],
    trailer: &[u8],
) -> Option<()> {
    entries.sort_unstable_by_key(|e| e.0);
    let size = num + 1;
    let mut rows = vec![0u8, 0, 0, 0, 0, 0xff, 0xff]; // object 0: free
    let mut expected = 1;
    for (n, kind, field, index) in entries.iter() {
        while expected < *n {
            rows.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0]); // a number not in use
            expected += 1;
        }
        rows.push(*kind);
        rows.extend_from_slice(&u32::try_from(*field).ok()?.to_be_bytes());
        rows.extend_from_slice(&index.to_be_bytes());
        expected = n + 1;
    }
    let data = deflate(&rows)?;
    let at = out.len();
    write!(
        out,
        "{num} 0 obj\n<</Type/XRef/Size {size}/W[1 4 2]/Filter/FlateDecode/Length {}",
        data.len()
    )
    .ok()?;
    out.extend_from_slice(trailer);
    out.extend_from_slice(b">>\nstream\n");
    out.extend_from_slice(&data);
    writeln!(out, "\nendstream\nendobj\n\nstartxref\n{at}\n%%EOF").ok()?;
    Some(())
}
