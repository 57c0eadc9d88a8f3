//! The coastline the supply map is drawn on: Natural Earth's 1:10m countries (public domain),
//! from the npm package world-atlas 2.0.2, clipped to the window around Indonesia and
//! simplified to about 1 km by `tools/basemap/generate.mjs` into `basemap.bin` (provenance and
//! format in `basemap.md`). It is compiled into the binary: drawing a map needs no network.

use std::sync::OnceLock;

const DATA: &[u8] = include_bytes!("basemap.bin");
const MAGIC: &[u8] = b"SNGBMAP1";
/// Degrees per stored step, and the longitude stored as 0.
const STEP: f64 = 0.005;
const ORIGIN_LON: f64 = 118.0;

/// One land polygon, its outer ring as (longitude, latitude) points, closed implicitly.
#[derive(Debug)]
pub struct Ring {
    /// Indonesia's own land, drawn darker than its neighbours'.
    pub indonesia: bool,
    pub points: Vec<(f64, f64)>,
}

/// Every land polygon of the window, in the order the generator wrote them.
pub fn rings() -> &'static [Ring] {
    static RINGS: OnceLock<Vec<Ring>> = OnceLock::new();
    RINGS.get_or_init(|| decode(DATA).expect("the compiled-in base map is well formed"))
}

fn decode(data: &[u8]) -> Option<Vec<Ring>> {
    let mut at = data.strip_prefix(MAGIC)?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, rest) = (at.get(..n)?, at.get(n..)?);
        at = rest;
        Some(head)
    };
    let u32_at = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
    let count = u32_at(take(4)?);
    let mut rings = Vec::with_capacity(count);
    for _ in 0..count {
        let indonesia = take(1)?[0] == 0;
        let n = u32_at(take(4)?);
        let bytes = take(n.checked_mul(4)?)?;
        let points = bytes
            .chunks_exact(4)
            .map(|p| {
                let x = i16::from_le_bytes([p[0], p[1]]);
                let y = i16::from_le_bytes([p[2], p[3]]);
                (ORIGIN_LON + f64::from(x) * STEP, f64::from(y) * STEP)
            })
            .collect();
        rings.push(Ring { indonesia, points });
    }
    at.is_empty().then_some(rings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_asset_holds_indonesia_and_its_neighbours() {
        let rings = rings();
        assert!(rings.len() > 100, "{}", rings.len());
        let java = rings.iter().filter(|r| r.indonesia).any(|r| {
            r.points
                .iter()
                .any(|&(lon, lat)| lon > 106.0 && lon < 107.0 && lat < -6.0)
        });
        assert!(java, "Java's north coast near Jakarta");
        assert!(rings.iter().any(|r| !r.indonesia), "neighbours");
        for r in rings {
            assert!(r.points.len() >= 3);
            for &(lon, lat) in &r.points {
                assert!((90.0..=146.0).contains(&lon) && (-15.0..=10.0).contains(&lat));
            }
        }
    }

    #[test]
    fn a_damaged_asset_is_refused() {
        assert!(decode(b"SNGBMAP1\x01\x00\x00\x00\x00\x05\x00\x00\x00").is_none());
        assert!(decode(b"nope").is_none());
        assert_eq!(
            decode(b"SNGBMAP1\x00\x00\x00\x00").map(|r| r.len()),
            Some(0)
        );
    }
}
