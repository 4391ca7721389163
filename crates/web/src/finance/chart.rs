//! A bar chart as server-rendered SVG (no script): the geometry is computed here and
//! the template draws rectangles and labels, each bar titled with its exact value.

pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub height: i64,
    pub label: String,
    pub value: String,
}

pub struct BarChart {
    pub width: i64,
    pub height: i64,
    pub bar_width: i64,
    /// The baseline's y.
    pub base: i64,
    pub bars: Vec<Bar>,
    pub max: String,
    pub caption: String,
}

const PLOT_HEIGHT: i64 = 160;
const TOP: i64 = 20;
const SLOT: i64 = 56;

impl BarChart {
    /// One bar per (label, value, value as text); heights relative to the largest.
    pub fn new(caption: String, points: &[(String, i64, String)]) -> Self {
        let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
        let bars = points
            .iter()
            .enumerate()
            .map(|(i, (label, v, text))| {
                let h = (i128::from(*v.max(&0)) * i128::from(PLOT_HEIGHT) / i128::from(max)) as i64;
                Bar {
                    x: 40 + i as i64 * SLOT,
                    y: TOP + PLOT_HEIGHT - h,
                    height: h,
                    label: label.clone(),
                    value: text.clone(),
                }
            })
            .collect::<Vec<_>>();
        BarChart {
            width: 40 + points.len() as i64 * SLOT + 10,
            height: TOP + PLOT_HEIGHT + 30,
            bar_width: SLOT - 16,
            base: TOP + PLOT_HEIGHT,
            max: points
                .iter()
                .max_by_key(|p| p.1)
                .map(|p| p.2.clone())
                .unwrap_or_default(),
            bars,
            caption,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value() {
        let p = |l: &str, v: i64| (l.to_string(), v, v.to_string());
        let c = BarChart::new("r".into(), &[p("Jan", 50), p("Feb", 100), p("Mar", 0)]);
        let heights: Vec<i64> = c.bars.iter().map(|b| b.height).collect();
        assert_eq!(heights, [PLOT_HEIGHT / 2, PLOT_HEIGHT, 0]);
        assert!(c.bars.iter().all(|b| b.y + b.height == c.base));
        assert_eq!(c.max, "100");
    }
}
