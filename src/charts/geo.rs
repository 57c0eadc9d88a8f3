//! Geometry of the supply map: a view of longitudes and latitudes projected onto a frame of the
//! chart, land clipped and simplified to what that frame can show, and points gathered into
//! clusters when they would overlap.
//!
//! The projection is equirectangular with longitudes shrunk by the cosine of the view's middle
//! latitude: Indonesia lies within 11° of the equator, where this differs from Mercator by
//! under 2%, and it keeps every number simple and deterministic.

use super::basemap::Ring;

/// A point on the chart, in viewBox units.
pub type Xy = (f64, f64);

/// Longitudes and latitudes in a rectangle of the chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub west: f64,
    pub north: f64,
    /// Chart units per degree of latitude.
    pub scale: f64,
    /// cos(middle latitude): chart units per degree of longitude are `scale * shrink`.
    pub shrink: f64,
    /// The frame: left, top, width, height.
    pub frame: (f64, f64, f64, f64),
}

/// A box of longitudes and latitudes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub west: f64,
    pub east: f64,
    pub south: f64,
    pub north: f64,
}

impl Bounds {
    /// Roughly Indonesia with a little sea around it.
    pub const INDONESIA: Bounds = Bounds {
        west: 94.5,
        east: 141.5,
        south: -11.3,
        north: 6.3,
    };
    /// What the base map covers.
    pub const WINDOW: Bounds = Bounds {
        west: 90.0,
        east: 146.0,
        south: -15.0,
        north: 10.0,
    };

    /// The smallest box holding every point, or `None` for no point.
    pub fn around(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Bounds> {
        points.into_iter().fold(None, |b, (lon, lat)| {
            Some(match b {
                None => Bounds {
                    west: lon,
                    east: lon,
                    south: lat,
                    north: lat,
                },
                Some(b) => Bounds {
                    west: b.west.min(lon),
                    east: b.east.max(lon),
                    south: b.south.min(lat),
                    north: b.north.max(lat),
                },
            })
        })
    }

    pub fn contains(&self, (lon, lat): (f64, f64)) -> bool {
        (self.west..=self.east).contains(&lon) && (self.south..=self.north).contains(&lat)
    }

    /// This box grown by `share` of its size on every side, and to at least `min` degrees
    /// each way, kept inside the base map's window.
    pub fn padded(self, share: f64, min: f64) -> Bounds {
        let grow = |lo: f64, hi: f64| {
            let pad = ((hi - lo) * share).max((min - (hi - lo)) / 2.0).max(0.0);
            (lo - pad, hi + pad)
        };
        let (west, east) = grow(self.west, self.east);
        let (south, north) = grow(self.south, self.north);
        let w = Bounds::WINDOW;
        Bounds {
            west: west.max(w.west),
            east: east.min(w.east),
            south: south.max(w.south),
            north: north.min(w.north),
        }
    }
}

impl View {
    /// `bounds` centred in `frame` at the largest scale that shows all of it.
    pub fn fit(bounds: Bounds, frame: (f64, f64, f64, f64)) -> View {
        let shrink = ((bounds.south + bounds.north) / 2.0).to_radians().cos();
        let (_, _, w, h) = frame;
        let lon_span = (bounds.east - bounds.west).max(1e-6);
        let lat_span = (bounds.north - bounds.south).max(1e-6);
        let scale = (w / (lon_span * shrink)).min(h / lat_span);
        // Centre the bounds: the frame shows more on the side that has room.
        let west = (bounds.west + bounds.east) / 2.0 - w / (2.0 * scale * shrink);
        let north = (bounds.south + bounds.north) / 2.0 + h / (2.0 * scale);
        View {
            west,
            north,
            scale,
            shrink,
            frame,
        }
    }

    pub fn project(&self, (lon, lat): (f64, f64)) -> Xy {
        let (x0, y0, _, _) = self.frame;
        (
            x0 + (lon - self.west) * self.scale * self.shrink,
            y0 + (self.north - lat) * self.scale,
        )
    }

    /// The longitudes and latitudes the frame shows.
    pub fn bounds(&self) -> Bounds {
        let (_, _, w, h) = self.frame;
        Bounds {
            west: self.west,
            east: self.west + w / (self.scale * self.shrink),
            south: self.north - h / self.scale,
            north: self.north,
        }
    }

    /// The land of `rings` as the frame shows it: projected, clipped to the frame, simplified
    /// to `tolerance` units, with whole units as plotters draws them; rings smaller than about
    /// a unit are left out. `(indonesia, points)` in the rings' order.
    pub fn land(&self, rings: &[Ring], tolerance: f64) -> Vec<(bool, Vec<(i32, i32)>)> {
        let seen = self.bounds();
        let mut out = Vec::new();
        for ring in rings {
            let Some(b) = Bounds::around(ring.points.iter().copied()) else {
                continue;
            };
            if b.east < seen.west
                || b.west > seen.east
                || b.north < seen.south
                || b.south > seen.north
            {
                continue;
            }
            let projected: Vec<Xy> = ring.points.iter().map(|&p| self.project(p)).collect();
            let clipped = clip(&projected, self.frame);
            if clipped.len() < 3 {
                continue;
            }
            let simple = simplify_ring(&clipped, tolerance);
            let mut points: Vec<(i32, i32)> = Vec::with_capacity(simple.len());
            for (x, y) in simple {
                let p = (x.round() as i32, y.round() as i32);
                if points.last() != Some(&p) {
                    points.push(p);
                }
            }
            while points.len() > 1 && points.first() == points.last() {
                points.pop();
            }
            let (xs, ys) = (
                points
                    .iter()
                    .map(|p| p.0)
                    .fold((i32::MAX, i32::MIN), minmax),
                points
                    .iter()
                    .map(|p| p.1)
                    .fold((i32::MAX, i32::MIN), minmax),
            );
            if points.len() < 3 || (xs.1 - xs.0) + (ys.1 - ys.0) < 2 {
                continue;
            }
            out.push((ring.indonesia, points));
        }
        out
    }
}

fn minmax((lo, hi): (i32, i32), v: i32) -> (i32, i32) {
    (lo.min(v), hi.max(v))
}

/// A polygon clipped to a rectangle (Sutherland–Hodgman: the parts outside run along the
/// rectangle's edges, which is right for filled land).
pub fn clip(ring: &[Xy], (x, y, w, h): (f64, f64, f64, f64)) -> Vec<Xy> {
    type Inside = fn(Xy, f64) -> bool;
    let edges: [(Inside, f64, bool); 4] = [
        (|p, v| p.0 >= v, x, true),
        (|p, v| p.0 <= v, x + w, true),
        (|p, v| p.1 >= v, y, false),
        (|p, v| p.1 <= v, y + h, false),
    ];
    let mut out = ring.to_vec();
    for (inside, v, vertical) in edges {
        let input = std::mem::take(&mut out);
        for (i, &a) in input.iter().enumerate() {
            let b = input[(i + 1) % input.len()];
            let (ia, ib) = (inside(a, v), inside(b, v));
            if ia {
                out.push(a);
            }
            if ia != ib {
                out.push(if vertical {
                    (v, a.1 + (b.1 - a.1) * (v - a.0) / (b.0 - a.0))
                } else {
                    (a.0 + (b.0 - a.0) * (v - a.1) / (b.1 - a.1), v)
                });
            }
        }
        if out.is_empty() {
            break;
        }
    }
    out
}

/// A closed ring simplified with Douglas–Peucker, split at its first point and at the point
/// farthest from it so that both halves keep their ends.
fn simplify_ring(ring: &[Xy], tolerance: f64) -> Vec<Xy> {
    let far = (0..ring.len())
        .max_by(|&i, &j| dist2(ring[0], ring[i]).total_cmp(&dist2(ring[0], ring[j])))
        .unwrap_or(0);
    let mut first: Vec<Xy> = ring[..=far].to_vec();
    let mut second: Vec<Xy> = ring[far..].to_vec();
    second.push(ring[0]);
    first = simplify(&first, tolerance);
    second = simplify(&second, tolerance);
    first.pop();
    second.pop();
    first.extend(second);
    first
}

fn dist2(a: Xy, b: Xy) -> f64 {
    (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)
}

/// Douglas–Peucker on an open line: the ends stay, and every point left out is within
/// `tolerance` of the line drawn.
pub fn simplify(points: &[Xy], tolerance: f64) -> Vec<Xy> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    while let Some((first, last)) = stack.pop() {
        let (a, b) = (points[first], points[last]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = dx.hypot(dy);
        let mut far = None;
        let mut max = tolerance;
        for (i, &p) in points.iter().enumerate().take(last).skip(first + 1) {
            let d = if len == 0.0 {
                dist2(a, p).sqrt()
            } else {
                (dy * p.0 - dx * p.1 + b.0 * a.1 - b.1 * a.0).abs() / len
            };
            if d > max {
                max = d;
                far = Some(i);
            }
        }
        if let Some(i) = far {
            keep[i] = true;
            stack.push((first, i));
            stack.push((i, last));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

/// Gathers points closer than `radius` into clusters, greedily in the order given: each point
/// joins the first cluster whose first point is within `radius`. Returns each point's cluster
/// and the clusters' centres (the mean of their points).
pub fn cluster(points: &[Xy], radius: f64) -> (Vec<usize>, Vec<Xy>) {
    let mut seeds: Vec<Xy> = Vec::new();
    let mut sums: Vec<(f64, f64, f64)> = Vec::new();
    let mut of = Vec::with_capacity(points.len());
    for &p in points {
        let found = seeds.iter().position(|&s| dist2(s, p) <= radius * radius);
        let i = found.unwrap_or_else(|| {
            seeds.push(p);
            sums.push((0.0, 0.0, 0.0));
            seeds.len() - 1
        });
        sums[i].0 += p.0;
        sums[i].1 += p.1;
        sums[i].2 += 1.0;
        of.push(i);
    }
    let centres = sums.iter().map(|(x, y, n)| (x / n, y / n)).collect();
    (of, centres)
}

/// A quadratic curve from `a` to `b` bulging to the left of the way by `bend` of its length,
/// as `n` straight segments; and its control point.
pub fn curve(a: Xy, b: Xy, bend: f64, n: usize) -> (Vec<Xy>, Xy) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let c = ((a.0 + b.0) / 2.0 + dy * bend, (a.1 + b.1) / 2.0 - dx * bend);
    let points = (0..=n)
        .map(|i| {
            let t = i as f64 / n as f64;
            let u = 1.0 - t;
            (
                u * u * a.0 + 2.0 * u * t * c.0 + t * t * b.0,
                u * u * a.1 + 2.0 * u * t * c.1 + t * t * b.1,
            )
        })
        .collect();
    (points, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_fits_its_bounds_and_projects_north_up() {
        let v = View::fit(Bounds::INDONESIA, (0.0, 0.0, 560.0, 240.0));
        let jakarta = v.project((106.8, -6.2));
        let medan = v.project((98.7, 3.6));
        assert!(medan.0 < jakarta.0 && medan.1 < jakarta.1);
        for corner in [(94.5, -11.3), (141.5, 6.3)] {
            let (x, y) = v.project(corner);
            assert!(
                (-0.01..=560.01).contains(&x) && (-0.01..=240.01).contains(&y),
                "{x} {y}"
            );
        }
        let b = v.bounds();
        assert!(b.west <= 94.5 && b.east >= 141.5 && b.south <= -11.3 && b.north >= 6.3);
    }

    #[test]
    fn clipping_keeps_what_is_inside() {
        let square = [(-10.0, -10.0), (10.0, -10.0), (10.0, 10.0), (-10.0, 10.0)];
        let c = clip(&square, (0.0, 0.0, 100.0, 100.0));
        assert_eq!(c, vec![(10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]);
        assert!(clip(&square, (50.0, 50.0, 10.0, 10.0)).is_empty());
    }

    #[test]
    fn simplifying_keeps_corners_and_drops_what_is_within_tolerance() {
        let line = [(0.0, 0.0), (5.0, 0.2), (10.0, 0.0), (10.0, 10.0)];
        assert_eq!(
            simplify(&line, 0.5),
            vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]
        );
    }

    #[test]
    fn close_points_share_a_cluster() {
        let (of, centres) = cluster(&[(0.0, 0.0), (3.0, 4.0), (100.0, 0.0)], 6.0);
        assert_eq!(of, vec![0, 0, 1]);
        assert_eq!(centres, vec![(1.5, 2.0), (100.0, 0.0)]);
    }

    #[test]
    fn curves_bulge_to_the_left_of_the_way() {
        let (points, c) = curve((0.0, 0.0), (100.0, 0.0), 0.2, 10);
        assert_eq!(points.len(), 11);
        assert_eq!(points[0], (0.0, 0.0));
        assert_eq!(points[10], (100.0, 0.0));
        // Going east on a chart whose y grows downward, left is up (negative y).
        assert!(c.1 < 0.0 && points[5].1 < 0.0);
    }
}
