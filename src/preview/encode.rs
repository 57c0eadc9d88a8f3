//! A small PNG of a card drawn in a few flat colours: 8-bit palette instead of RGBA. The
//! palette holds the card's colours and 15 steps between every two of them, which is all that
//! anti-aliased edges between flat areas need; each pixel takes the nearest entry. About a
//! fifth of the size of the RGBA file, and the same to the eye.

use std::collections::HashMap;

/// Steps from one colour to another (both ends included).
const STEPS: u32 = 16;

/// `rgba` (opaque, `width` x `height`) as an indexed PNG in the colours of `colours` (`#rrggbb`).
pub(super) fn png(
    width: u32,
    height: u32,
    rgba: &[u8],
    colours: &[&str],
) -> Result<Vec<u8>, png::EncodingError> {
    let palette = palette(colours);
    let indexes = indexes(width as usize, rgba, &palette);
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(palette.concat());
    // Balanced, not High: half the time per image (about 8 instead of 16 ms, a fifth of a large
    // site's cold build went to compressing share images) for 6% more bytes.
    encoder.set_compression(png::Compression::Balanced);
    encoder.set_filter(png::Filter::NoFilter);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&indexes)?;
    writer.finish()?;
    Ok(out)
}

/// Each pixel of `rgba` (rows of `width` pixels) as the index of its nearest palette entry.
/// Most rows of a card repeat the row above them (margins, the band, the bars) and most
/// pixels the one before them: only a row that differs is looked at, and in it only a change
/// of colour is looked up.
fn indexes(width: usize, rgba: &[u8], palette: &[[u8; 3]]) -> Vec<u8> {
    let mut nearest: HashMap<[u8; 3], u8> = HashMap::new();
    let mut out = Vec::with_capacity(rgba.len() / 4);
    let mut above: Option<&[u8]> = None;
    for row in rgba.chunks_exact(width.max(1) * 4) {
        if above == Some(row) {
            out.extend_from_within(out.len() - width..);
            continue;
        }
        let mut last: Option<(u32, u8)> = None;
        for p in row.chunks_exact(4) {
            // A pixel equal to the one before in all four bytes takes its index.
            let word = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
            let index = match last {
                Some((seen, index)) if seen == word => index,
                _ => {
                    let rgb = [p[0], p[1], p[2]];
                    let index = *nearest.entry(rgb).or_insert_with(|| closest(palette, rgb));
                    last = Some((word, index));
                    index
                }
            };
            out.push(index);
        }
        above = Some(row);
    }
    out
}

/// The colours and the steps between each two, without repeats, in a fixed order.
fn palette(colours: &[&str]) -> Vec<[u8; 3]> {
    let parsed: Vec<[u8; 3]> = colours.iter().map(|c| hex(c)).collect();
    let mut out: Vec<[u8; 3]> = Vec::new();
    let mut add = |c: [u8; 3]| {
        if !out.contains(&c) {
            out.push(c);
        }
    };
    for &c in &parsed {
        add(c);
    }
    for (i, &a) in parsed.iter().enumerate() {
        for &b in &parsed[i + 1..] {
            for k in 1..STEPS - 1 {
                add(std::array::from_fn(|n| {
                    let (a, b) = (u32::from(a[n]), u32::from(b[n]));
                    ((a * (STEPS - 1 - k) + b * k + (STEPS - 1) / 2) / (STEPS - 1)) as u8
                }));
            }
        }
    }
    assert!(out.len() <= 256, "a palette holds at most 256 colours");
    out
}

fn hex(c: &str) -> [u8; 3] {
    let byte = |i: usize| u8::from_str_radix(&c[1 + 2 * i..3 + 2 * i], 16).unwrap_or(0);
    [byte(0), byte(1), byte(2)]
}

/// The index of the palette entry nearest to `rgb`.
fn closest(palette: &[[u8; 3]], rgb: [u8; 3]) -> u8 {
    let distance = |p: &[u8; 3]| -> i32 {
        (0..3)
            .map(|n| (i32::from(p[n]) - i32::from(rgb[n])).pow(2))
            .sum()
    };
    let best = (0..palette.len())
        .min_by_key(|&i| (distance(&palette[i]), i))
        .unwrap_or(0);
    best as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_palette_holds_each_colour_and_fits_in_a_byte() {
        let p = palette(&["#ffffff", "#000000", "#0b5394"]);
        assert_eq!(&p[..3], &[[255; 3], [0; 3], [0x0b, 0x53, 0x94]]);
        assert!(p.contains(&[136, 136, 136]));
        assert!(p.len() <= 256);
        assert_eq!(closest(&p, [0x0c, 0x52, 0x95]), 2);
    }
}
