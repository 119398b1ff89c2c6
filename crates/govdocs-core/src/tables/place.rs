//! Place the values of space-separated rows that lost their blank cells
//! (`210 卫生健康支出 131.46 131.04 0.42` in a six-column table). Each such row gets every
//! order-keeping placement of its values into the columns in use; the stated column identities
//! filter them, then the sums the rows obey (code hierarchy, 合计, stated row identities) remove
//! placements no consistent table can have, until nothing changes. This runs first over every
//! column: a row left with one placement is placed (`placed_by_identity`). Rows still open are
//! solved again over the leftmost columns in use only (blank columns taken to be the rightmost,
//! as print usually has them): one placement there gives `placed_by_identity` plus
//! `leftmost_columns`. Several placements leave the values leftmost, flagged
//! `ambiguous_placement`; none, `unplaced`. Those two flags make a value untrusted.

use super::{Block, Row, Value};
use crate::checks::{row_identity_groups, sum_groups, SumGroup};
use crate::identity::{Axis, Identity};
use rust_decimal::Decimal;

/// Put a row's values into its columns left to right. When there are fewer values than
/// columns, each is flagged `pending_placement` until [`solve`] places it.
pub fn place_in_order(row: &mut Row, vals: &[String]) {
    let n = row.values.len();
    for (k, raw) in vals.iter().enumerate().take(n) {
        let mut v = Value::read(raw);
        if vals.len() < n {
            v.flag("pending_placement");
        }
        row.values[k] = Some(v);
    }
    if vals.len() > n {
        row.flags
            .push(format!("extra_values:{}", vals[n..].join(" ")));
    }
}

/// Most combinations one sum group may enumerate before it is left out of the propagation.
const MAX_COMBOS: usize = 20_000;

/// Most placements one row may have: a row with more (many values in a very wide table) is not
/// searched and its values stay leftmost, flagged `ambiguous_placement`.
const MAX_CHOICES: u64 = 20_000;

/// Widest block whose rows are placed (columns are bits of a `u64`); in a wider one every row
/// with blank cells is flagged `ambiguous_placement`.
const MAX_COLUMNS: usize = 64;

fn cent() -> Decimal {
    Decimal::new(1, 2)
}

/// A placement: the set of columns a row's values go to, as bits. The values keep their print
/// order, so the lowest column takes the first value.
type Placement = u64;

/// The columns of a placement, lowest first.
fn columns_of(p: Placement) -> impl Iterator<Item = usize> {
    let mut rest = p;
    std::iter::from_fn(move || {
        (rest != 0).then(|| {
            let c = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            c
        })
    })
}

/// The number of ways to choose `k` of `m`, or `None` past [`MAX_CHOICES`].
fn count_choices(m: usize, k: usize) -> Option<u64> {
    if k > m {
        return Some(0);
    }
    let k = k.min(m - k) as u64;
    let mut c = 1u64;
    for i in 0..k {
        // c * (m - i) / (i + 1) stays exact: c is C(m, i) before the step.
        c = c.checked_mul(m as u64 - i)? / (i + 1);
        if c > MAX_CHOICES {
            return None;
        }
    }
    Some(c)
}

/// Every increasing choice of `k` columns among `cols`, in lexicographic order.
fn choices(cols: &[usize], k: usize) -> Vec<Placement> {
    let m = cols.len();
    if k > m {
        return vec![];
    }
    let mut out = Vec::new();
    let mut idx: Vec<usize> = (0..k).collect();
    loop {
        out.push(idx.iter().fold(0, |p, &i| p | 1 << cols[i]));
        // The rightmost position that can still move right; the ones after it follow it.
        let Some(p) = (0..k).rev().find(|&p| idx[p] < m - k + p) else {
            return out;
        };
        idx[p] += 1;
        for q in p + 1..k {
            idx[q] = idx[q - 1] + 1;
        }
    }
}

/// Resolve the `pending_placement` values of every block.
pub fn solve(blocks: &mut [Block], ids: &[Identity]) {
    for b in blocks.iter_mut() {
        solve_block(b, ids);
    }
}

/// What became of a pending row.
enum Domain {
    /// The placements still possible, in lexicographic order.
    Placements(Vec<Placement>),
    /// Too many placements to search.
    TooMany,
}

fn solve_block(b: &mut Block, ids: &[Identity]) {
    let n = b.columns.len();
    let pending = |r: &Row| {
        r.values
            .iter()
            .flatten()
            .any(|v| v.flags.iter().any(|f| f == "pending_placement"))
    };
    if !b.rows.iter().any(pending) {
        return;
    }
    let (wide, narrow) = if n > MAX_COLUMNS {
        (Vec::new(), Vec::new())
    } else {
        propagate_block(b, ids, &pending)
    };
    for (i, row) in b.rows.iter_mut().enumerate() {
        if !pending(row) {
            continue;
        }
        let placed: Vec<Value> = row.values.iter_mut().filter_map(Option::take).collect();
        let leftmost = || (0..placed.len()).collect::<Vec<usize>>();
        let (columns, flags): (Vec<usize>, &[&str]) = match (wide.get(i), narrow.get(i)) {
            (Some(Domain::Placements(w)), _) if w.len() == 1 => {
                (columns_of(w[0]).collect(), &["placed_by_identity"])
            }
            (_, Some(Domain::Placements(nw))) => match nw.len() {
                1 => (
                    columns_of(nw[0]).collect(),
                    &["placed_by_identity", "leftmost_columns"],
                ),
                0 => (leftmost(), &["unplaced"]),
                _ => (columns_of(nw[0]).collect(), &["ambiguous_placement"]),
            },
            _ => (leftmost(), &["ambiguous_placement"]),
        };
        for (mut v, c) in placed.into_iter().zip(columns) {
            v.flags.retain(|f| f != "pending_placement");
            for f in flags {
                v.flag(f);
            }
            row.values[c] = Some(v);
        }
    }
}

/// The placements each row can still have, over all columns and over the leftmost columns in
/// use (blocks of at most [`MAX_COLUMNS`] columns).
fn propagate_block(
    b: &Block,
    ids: &[Identity],
    pending: &impl Fn(&Row) -> bool,
) -> (Vec<Domain>, Vec<Domain>) {
    let n = b.columns.len();
    // Each row's values in print order, and the columns they may occupy.
    let vals: Vec<Vec<Option<Decimal>>> = b
        .rows
        .iter()
        .map(|r| r.values.iter().flatten().map(|v| v.value).collect())
        .collect();
    let kmax = vals.iter().map(Vec::len).max().unwrap_or(0).min(n);
    let col_ids: Vec<(usize, Vec<(i8, usize)>)> = ids
        .iter()
        .filter(|i| i.axis == Axis::Columns)
        .filter_map(|i| {
            let pos = |c: u32| b.columns.iter().position(|x| x.col_no == Some(c));
            Some((
                pos(i.lhs)?,
                i.terms
                    .iter()
                    .map(|&(s, c)| pos(c).map(|p| (s, p)))
                    .collect::<Option<Vec<_>>>()?,
            ))
        })
        .collect();
    let mut groups: Vec<SumGroup> = sum_groups(b);
    groups.extend(row_identity_groups(b, ids));
    let is_pending: Vec<bool> = b
        .rows
        .iter()
        .map(|r| pending(r) && r.values.iter().flatten().all(|v| v.value.is_some()))
        .collect();
    let fixed: Vec<Placement> = b
        .rows
        .iter()
        .map(|r| {
            r.values
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_some())
                .fold(0, |p, (c, _)| p | 1 << c)
        })
        .collect();
    let ints = scaled_ints(&vals);
    let ctx = Ctx {
        n,
        vals: &vals,
        ints: ints.as_ref(),
        col_ids: &col_ids,
        groups: &groups,
    };
    let all: Vec<usize> = (0..n).collect();
    let wide = ctx.propagate(&all, &is_pending, &fixed);
    let leftmost: Vec<usize> = (0..kmax).collect();
    let narrow = ctx.propagate(&leftmost, &is_pending, &fixed);
    (wide, narrow)
}

/// Largest scaled integer taken for exact integer sums: sums of up to `MAX_INT_TERMS` such values
/// stay far below both `i128` and the 96-bit mantissa of a `Decimal`, so the integer sums and the
/// decimal sums are both exact and agree.
const MAX_INT_MAGNITUDE: i128 = 100_000_000_000_000_000_000; // 1e20
/// Most members a sum group may have for its sums to be taken in integers.
const MAX_INT_TERMS: usize = 100_000;

/// A block's values as integers at one common scale (at least 2, so that a cent is an integer):
/// the scale and each row's values (`None` read as zero). `None` when a value has more than 9
/// decimals or is too large to sum exactly.
fn scaled_ints(vals: &[Vec<Option<Decimal>>]) -> Option<(u32, Vec<Vec<i128>>)> {
    let scale = vals
        .iter()
        .flatten()
        .flatten()
        .map(|d| d.scale())
        .max()
        .unwrap_or(0)
        .max(2);
    if scale > 9 {
        return None;
    }
    let ints = vals
        .iter()
        .map(|row| {
            row.iter()
                .map(|v| {
                    let d = v.unwrap_or_default();
                    let i = d.mantissa().checked_mul(10i128.pow(scale - d.scale()))?;
                    (i.abs() < MAX_INT_MAGNITUDE).then_some(i)
                })
                .collect::<Option<Vec<i128>>>()
        })
        .collect::<Option<Vec<_>>>()?;
    Some((scale, ints))
}

/// What propagation needs to know about a block.
struct Ctx<'a> {
    n: usize,
    vals: &'a [Vec<Option<Decimal>>],
    /// `vals` as integers at a common scale, when they all fit (see [`scaled_ints`]).
    ints: Option<&'a (u32, Vec<Vec<i128>>)>,
    col_ids: &'a [(usize, Vec<(i8, usize)>)],
    groups: &'a [SumGroup],
}

impl Ctx<'_> {
    fn spread(&self, row: usize, placement: Placement) -> Vec<Decimal> {
        let mut v = vec![Decimal::ZERO; self.n];
        for (k, c) in columns_of(placement).enumerate() {
            v[c] = self.vals[row][k].unwrap_or_default();
        }
        v
    }

    /// Whether a placement of a row keeps every stated column identity (within a cent per term).
    fn keeps_column_identities(&self, row: usize, p: Placement) -> bool {
        if let Some((scale, ints)) = self.ints {
            let mut v = [0i128; MAX_COLUMNS];
            for (k, c) in columns_of(p).enumerate() {
                v[c] = ints[row][k];
            }
            let cent = 10i128.pow(scale - 2);
            return self.col_ids.iter().all(|(lhs, terms)| {
                let sum: i128 = terms
                    .iter()
                    .map(|&(s, c)| if s < 0 { -v[c] } else { v[c] })
                    .sum();
                (v[*lhs] - sum).abs() <= cent * terms.len() as i128
            });
        }
        let v = self.spread(row, p);
        self.col_ids.iter().all(|(lhs, terms)| {
            let sum: Decimal = terms
                .iter()
                .map(|&(s, c)| if s < 0 { -v[c] } else { v[c] })
                .sum();
            (v[*lhs] - sum).abs() <= cent() * Decimal::from(terms.len() as u64)
        })
    }

    /// The placements each row can still have when its values may go into `cols`.
    fn propagate(&self, cols: &[usize], pending: &[bool], fixed: &[Placement]) -> Vec<Domain> {
        let start: Vec<Domain> = (0..self.vals.len())
            .map(|i| {
                if !pending[i] {
                    return Domain::Placements(vec![fixed[i]]);
                }
                let k = self.vals[i].len();
                if count_choices(cols.len(), k).is_none() {
                    return Domain::TooMany;
                }
                Domain::Placements(
                    choices(cols, k)
                        .into_iter()
                        .filter(|&p| self.col_ids.is_empty() || self.keeps_column_identities(i, p))
                        .collect(),
                )
            })
            .collect();
        // Rows with too many placements take part in no group (an empty domain leaves a group out).
        let mut domains: Vec<Vec<Placement>> = start
            .iter()
            .map(|d| match d {
                Domain::Placements(p) => p.clone(),
                Domain::TooMany => Vec::new(),
            })
            .collect();
        // A group narrowed once is settled until one of its members' domains changes again:
        // every placement it kept has a consistent combination of kept placements, so running
        // it again changes nothing. Groups naming a row twice are always run.
        fn members(g: &SumGroup) -> impl Iterator<Item = usize> + '_ {
            std::iter::once(g.total).chain(g.parts.iter().map(|p| p.1))
        }
        let repeats: Vec<bool> = self
            .groups
            .iter()
            .map(|g| {
                let mut m: Vec<usize> = members(g).collect();
                m.sort_unstable();
                m.windows(2).any(|w| w[0] == w[1])
            })
            .collect();
        let mut tick = 0u64;
        let mut changed_at = vec![0u64; domains.len()];
        let mut settled_at: Vec<Option<u64>> = vec![None; self.groups.len()];
        for _round in 0..20 {
            let mut changed = false;
            for (gi, g) in self.groups.iter().enumerate() {
                tick += 1;
                let settled = !repeats[gi]
                    && settled_at[gi].is_some_and(|t| members(g).all(|m| changed_at[m] <= t));
                if settled {
                    continue;
                }
                let before: Vec<usize> = members(g).map(|m| domains[m].len()).collect();
                changed |= self.narrow_group(g, &mut domains);
                for (m, n) in members(g).zip(before) {
                    if domains[m].len() != n {
                        changed_at[m] = tick;
                    }
                }
                settled_at[gi] = Some(tick);
            }
            if !changed {
                break;
            }
        }
        start
            .into_iter()
            .zip(domains)
            .map(|(s, d)| match s {
                Domain::TooMany => Domain::TooMany,
                Domain::Placements(_) => Domain::Placements(d),
            })
            .collect()
    }

    /// Keep, for every member of a sum group, the placements some consistent combination uses.
    fn narrow_group(&self, g: &SumGroup, domains: &mut [Vec<Placement>]) -> bool {
        let members: Vec<usize> = std::iter::once(g.total)
            .chain(g.parts.iter().map(|&(_, r)| r))
            .collect();
        let combos = members
            .iter()
            .try_fold(1usize, |acc, &m| acc.checked_mul(domains[m].len()));
        if combos.is_none_or(|c| c > MAX_COMBOS || c == 0) {
            return false;
        }
        let mut supported: Vec<Vec<bool>> = members
            .iter()
            .map(|&m| vec![false; domains[m].len()])
            .collect();
        match self.ints {
            Some((scale, ints)) if members.len() <= MAX_INT_TERMS => {
                let tol = g.parts.len().max(1) as i128 * 10i128.pow(scale - 2);
                self.support_ints(ints, g, &members, domains, tol, &mut supported);
            }
            _ => self.support_decimals(g, &members, domains, &mut supported),
        }
        // A group no combination satisfies says nothing about its members' placements.
        if supported.iter().all(|s| !s.iter().any(|&x| x)) {
            return false;
        }
        let mut changed = false;
        for (k, &m) in members.iter().enumerate() {
            let kept = supported[k].iter().filter(|&&s| s).count();
            if kept > 0 && kept < domains[m].len() {
                let mut s = supported[k].iter();
                domains[m].retain(|_| *s.next().unwrap_or(&false));
                changed = true;
            }
        }
        changed
    }

    /// Mark in `supported` every member placement used by a combination of placements (one per
    /// member) under which the parts add up to the total in every column, within a cent per part.
    fn support_decimals(
        &self,
        g: &SumGroup,
        members: &[usize],
        domains: &[Vec<Placement>],
        supported: &mut [Vec<bool>],
    ) {
        let n = self.n;
        let mut idx = vec![0usize; members.len()];
        let tol = cent() * Decimal::from(g.parts.len().max(1) as u64);
        // Every member's placements spread over the columns once, not once per combination.
        let spreads: Vec<Vec<Vec<Decimal>>> = members
            .iter()
            .map(|&m| domains[m].iter().map(|&p| self.spread(m, p)).collect())
            .collect();
        let mut sum = vec![Decimal::ZERO; n];
        loop {
            let total = &spreads[0][idx[0]];
            sum.fill(Decimal::ZERO);
            for (k, &(s, _)) in g.parts.iter().enumerate() {
                let v = &spreads[k + 1][idx[k + 1]];
                for c in 0..n {
                    sum[c] += if s < 0 { -v[c] } else { v[c] };
                }
            }
            if (0..n).all(|c| (total[c] - sum[c]).abs() <= tol) {
                for (k, &i) in idx.iter().enumerate() {
                    supported[k][i] = true;
                }
            }
            // Next combination (odometer).
            let mut k = 0;
            while k < idx.len() {
                idx[k] += 1;
                if idx[k] < domains[members[k]].len() {
                    break;
                }
                idx[k] = 0;
                k += 1;
            }
            if k == idx.len() {
                break;
            }
        }
    }

    /// [`Self::support_decimals`] in exact integer arithmetic, as a depth-first search: the parts
    /// with one placement are summed once, the others one level each, and every total placement
    /// is compared at the leaves. Each occurrence of a row in `members` is its own variable, as
    /// in the decimal version.
    fn support_ints(
        &self,
        ints: &[Vec<i128>],
        g: &SumGroup,
        members: &[usize],
        domains: &[Vec<Placement>],
        tol: i128,
        supported: &mut [Vec<bool>],
    ) {
        let n = self.n;
        let spread = |row: usize, placement: Placement, neg: bool| -> Vec<i128> {
            let mut v = vec![0i128; n];
            for (k, c) in columns_of(placement).enumerate() {
                v[c] = if neg { -ints[row][k] } else { ints[row][k] };
            }
            v
        };
        // Member k's placements spread over the columns, parts with their signs applied.
        let spreads: Vec<Vec<Vec<i128>>> = members
            .iter()
            .enumerate()
            .map(|(k, &m)| {
                let neg = k > 0 && g.parts[k - 1].0 < 0;
                domains[m].iter().map(|&p| spread(m, p, neg)).collect()
            })
            .collect();
        let mut base = vec![0i128; n];
        let mut open: Vec<usize> = Vec::new();
        for (k, sp) in spreads.iter().enumerate().skip(1) {
            if sp.len() == 1 {
                for (b, x) in base.iter_mut().zip(&sp[0]) {
                    *b += x;
                }
            } else {
                open.push(k);
            }
        }
        let mut search = Search {
            spreads: &spreads,
            open: &open,
            tol,
            chosen: vec![0; members.len()],
            sums: vec![base; open.len() + 1],
            supported,
        };
        search.run(0);
    }
}

/// The depth-first search of [`Ctx::support_ints`].
struct Search<'a> {
    spreads: &'a [Vec<Vec<i128>>],
    /// The parts with several placements, in search order.
    open: &'a [usize],
    tol: i128,
    /// The placement chosen for each member so far.
    chosen: Vec<usize>,
    /// Running sums of the parts per level: the fixed ones, plus one more open part per level.
    sums: Vec<Vec<i128>>,
    supported: &'a mut [Vec<bool>],
}

impl Search<'_> {
    fn run(&mut self, level: usize) {
        if level == self.open.len() {
            let sum = &self.sums[level];
            for (i, total) in self.spreads[0].iter().enumerate() {
                if total
                    .iter()
                    .zip(sum)
                    .all(|(t, s)| (t - s).abs() <= self.tol)
                {
                    self.chosen[0] = i;
                    for (k, &c) in self.chosen.iter().enumerate() {
                        self.supported[k][c] = true;
                    }
                }
            }
            return;
        }
        let k = self.open[level];
        for i in 0..self.spreads[k].len() {
            let (done, next) = self.sums.split_at_mut(level + 1);
            for ((n, a), b) in next[0]
                .iter_mut()
                .zip(&done[level])
                .zip(&self.spreads[k][i])
            {
                *n = a + b;
            }
            self.chosen[k] = i;
            self.run(level + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::{Column, Row};

    fn row(code: &str, vals: &[&str], n: usize) -> Row {
        let mut r = Row {
            line: 1,
            page: None,
            line_no: None,
            code: Some(code.into()),
            name: String::new(),
            values: vec![None; n],
            flags: vec![],
        };
        place_in_order(
            &mut r,
            &vals.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        );
        r
    }

    fn cols(n: usize) -> Vec<Column> {
        (1..=n as u32)
            .map(|c| Column {
                label: String::new(),
                col_no: Some(c),
            })
            .collect()
    }

    fn at(b: &Block, r: usize) -> Vec<String> {
        b.rows[r]
            .values
            .iter()
            .map(|v| v.as_ref().map_or("_".into(), |v| v.raw.clone()))
            .collect()
    }

    /// The placements as column lists.
    fn lists(ps: Vec<Placement>) -> Vec<Vec<usize>> {
        ps.into_iter().map(|p| columns_of(p).collect()).collect()
    }

    #[test]
    fn choices_are_every_increasing_pick_in_order() {
        assert_eq!(lists(choices(&[3, 5, 7], 0)), vec![Vec::<usize>::new()]);
        assert_eq!(lists(choices(&[3, 5], 3)), Vec::<Vec<usize>>::new());
        assert_eq!(
            lists(choices(&[3, 5, 7, 9], 2)),
            [[3, 5], [3, 7], [3, 9], [5, 7], [5, 9], [7, 9]]
        );
        assert_eq!(lists(choices(&[1, 2, 3], 3)), [[1, 2, 3]]);
        // C(8, 3) = 56 picks, each increasing, none twice.
        let all = lists(choices(&(0..8).collect::<Vec<_>>(), 3));
        assert_eq!(all.len(), 56);
        assert!(all.windows(2).all(|w| w[0] < w[1]));
        assert!(all.iter().all(|p| p.windows(2).all(|w| w[0] < w[1])));
    }

    #[test]
    fn hierarchy_places_values_of_002_rows() {
        // 002 支出决算表 (公开03表), columns 1 合计 = 2 基本支出 + 3 项目支出 + …: the 款 row has all
        // three values, its 项 rows only two, and only one placement of each adds up.
        let ids = crate::identity::parse_identities("1栏各行=（2+3+4+5+6）栏各行。");
        let mut b = Block {
            label: String::new(),
            columns: cols(6),
            rows: vec![
                row("20601", &["828.46", "768.03", "60.43"], 6),
                row("2060101", &["768.03", "768.03"], 6),
                row("2060102", &["40.03", "40.03"], 6),
                row("2060199", &["20.40", "20.40"], 6),
            ],
        };
        solve(std::slice::from_mut(&mut b), &ids);
        assert_eq!(at(&b, 1), ["768.03", "768.03", "_", "_", "_", "_"]);
        assert_eq!(at(&b, 2), ["40.03", "_", "40.03", "_", "_", "_"]);
        assert_eq!(at(&b, 3), ["20.40", "_", "20.40", "_", "_", "_"]);
        assert!(b.rows[2].values[2]
            .as_ref()
            .unwrap()
            .flags
            .contains(&"placed_by_identity".to_string()));
    }

    /// Each row's placements left by `propagate`.
    type Domains = Vec<Vec<Vec<usize>>>;

    /// The placements `propagate` leaves for a block, summed in integers and in decimals.
    fn both_ways(b: &Block, ids: &[Identity]) -> (Domains, Domains) {
        let vals: Vec<Vec<Option<Decimal>>> = b
            .rows
            .iter()
            .map(|r| r.values.iter().flatten().map(|v| v.value).collect())
            .collect();
        let mut groups = sum_groups(b);
        groups.extend(row_identity_groups(b, ids));
        let pending = vec![true; b.rows.len()];
        let fixed = vec![0; b.rows.len()];
        let ints = scaled_ints(&vals);
        assert!(ints.is_some());
        let cols: Vec<usize> = (0..b.columns.len()).collect();
        let run = |ints| {
            let ctx = Ctx {
                n: b.columns.len(),
                vals: &vals,
                ints,
                col_ids: &[],
                groups: &groups,
            };
            ctx.propagate(&cols, &pending, &fixed)
                .into_iter()
                .map(|d| match d {
                    Domain::Placements(p) => lists(p),
                    Domain::TooMany => panic!("too many placements"),
                })
                .collect::<Domains>()
        };
        (run(ints.as_ref()), run(None))
    }

    #[test]
    fn integer_and_decimal_sums_agree() {
        // A 款 row over three 项 rows with one placement each, a 合计 row, and a row whose
        // amounts fit several placements (two equal values).
        let b = Block {
            label: String::new(),
            columns: cols(4),
            rows: vec![
                row("201", &["828.46", "768.03", "60.43"], 4),
                row("20101", &["828.46", "768.03", "60.43"], 4),
                row("2010101", &["768.03", "768.03"], 4),
                row("2010102", &["40.03", "40.03"], 4),
                row("2010199", &["20.4", "20.40"], 4),
                row("2010150", &["0.00", "0.00"], 4),
            ],
        };
        let (ints, decimals) = both_ways(&b, &[]);
        assert_eq!(ints, decimals);
        // The hierarchy narrows the 项 rows: 2010101 prints 768.03 twice, and the two columns
        // holding it must hold 828.46 and 768.03 in the 款 row, whose 60.43 prints right of
        // both; so no placement of 2010101 uses the last column. Zeros fit everywhere.
        assert!(!ints[2].is_empty());
        assert!(ints[2].iter().all(|p| !p.contains(&3)));
        assert_eq!(ints[5].len(), 6);
        // Values with more than two decimals and negative values sum at their own scale.
        let b = Block {
            label: String::new(),
            columns: cols(3),
            rows: vec![
                row("301", &["1.005", "-0.995", "2.000"], 3),
                row("30101", &["1.005", "2.000"], 3),
                row("30102", &["-0.995", "-0.995"], 3),
            ],
        };
        let (ints, decimals) = both_ways(&b, &[]);
        assert_eq!(ints, decimals);
    }

    #[test]
    fn choices_are_counted_without_overflow() {
        assert_eq!(count_choices(8, 3), Some(56));
        assert_eq!(count_choices(3, 5), Some(0));
        assert_eq!(count_choices(20, 0), Some(1));
        assert_eq!(count_choices(64, 32), None);
        assert_eq!(count_choices(200, 100), None);
        for (m, k) in [(10, 4), (30, 3), (17, 5)] {
            let cols: Vec<usize> = (0..m).collect();
            assert_eq!(count_choices(m, k), Some(choices(&cols, k).len() as u64));
        }
    }

    #[test]
    fn rows_with_too_many_placements_are_not_searched() {
        // 40 columns, rows of 20 and 10 values: C(40, 20) and, over the 20 leftmost columns,
        // C(20, 10) placements. Flagged, never enumerated.
        let mut b = Block {
            label: String::new(),
            columns: cols(40),
            rows: vec![row("201", &["1.00"; 20], 40), row("202", &["2.00"; 10], 40)],
        };
        solve(std::slice::from_mut(&mut b), &[]);
        let flags =
            |b: &Block, r: usize, c: usize| b.rows[r].values[c].as_ref().unwrap().flags.clone();
        assert!(flags(&b, 1, 0).contains(&"ambiguous_placement".to_string()));
        assert!(b.rows[1].values[9].is_some() && b.rows[1].values[10].is_none());
        // The 20 values fill the 20 leftmost columns: one placement there.
        assert!(flags(&b, 0, 19).contains(&"leftmost_columns".to_string()));
        // Wider than a placement can say: the same.
        let mut b = Block {
            label: String::new(),
            columns: cols(70),
            rows: vec![row("201", &["1.00"; 66], 70)],
        };
        solve(std::slice::from_mut(&mut b), &[]);
        assert!(b.rows[0].values[65]
            .as_ref()
            .unwrap()
            .flags
            .contains(&"ambiguous_placement".to_string()));
    }

    #[test]
    fn undecidable_rows_are_flagged_not_guessed() {
        let ids = crate::identity::parse_identities("1栏各行=（2+3）栏各行。");
        let mut b = Block {
            label: String::new(),
            columns: cols(3),
            rows: vec![
                row("206", &["5.00", "5.00"], 3),
                row("201", &["1.00", "0.40", "0.60"], 3),
            ],
        };
        solve(std::slice::from_mut(&mut b), &ids);
        let v = b.rows[0].values[1].as_ref().unwrap();
        assert!(v.flags.contains(&"ambiguous_placement".to_string()));
        assert!(!v.trusted());
        // No placement satisfies 1 = 2 + 3 for `5.00 4.00`: unplaced.
        let mut b = Block {
            label: String::new(),
            columns: cols(3),
            rows: vec![
                row("206", &["5.00", "4.00"], 3),
                row("201", &["1.00", "0.40", "0.60"], 3),
            ],
        };
        solve(std::slice::from_mut(&mut b), &ids);
        assert!(b.rows[0].values[0]
            .as_ref()
            .unwrap()
            .flags
            .contains(&"unplaced".to_string()));
    }
}
