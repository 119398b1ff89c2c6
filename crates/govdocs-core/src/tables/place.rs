//! Place the values of space-separated rows that lost their blank cells
//! (`210 卫生健康支出 131.46 131.04 0.42` in a six-column table). Each such row gets every
//! order-keeping placement of its values into the columns in use; the stated column identities
//! filter them, then the sums the rows obey (code hierarchy, 合计, stated row identities) remove
//! placements no consistent table can have, until nothing changes. A row left with one
//! placement is placed (`placed_by_identity`); with several, its values keep the leftmost and are
//! flagged `ambiguous_placement`; with none, `unplaced`. Flagged values are not trusted.

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
const MAX_COMBOS: usize = 200_000;

fn cent() -> Decimal {
    Decimal::new(1, 2)
}

/// Every increasing choice of `k` columns among `cols`.
fn choices(cols: &[usize], k: usize) -> Vec<Vec<usize>> {
    if k == 0 {
        return vec![vec![]];
    }
    if cols.len() < k {
        return vec![];
    }
    let mut out = Vec::new();
    for (i, &c) in cols.iter().enumerate() {
        for mut rest in choices(&cols[i + 1..], k - 1) {
            rest.insert(0, c);
            out.push(rest);
        }
    }
    out
}

/// Resolve the `pending_placement` values of every block.
pub fn solve(blocks: &mut [Block], ids: &[Identity]) {
    for b in blocks.iter_mut() {
        solve_block(b, ids);
    }
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
    // Each row's values in print order, and the columns they may occupy.
    let vals: Vec<Vec<Option<Decimal>>> = b
        .rows
        .iter()
        .map(|r| r.values.iter().flatten().map(|v| v.value).collect())
        .collect();
    let kmax = vals.iter().map(Vec::len).max().unwrap_or(0).min(n);
    let active: Vec<usize> = (0..kmax).collect();
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
    let spread = |row: usize, placement: &[usize]| -> Vec<Decimal> {
        let mut v = vec![Decimal::ZERO; n];
        for (k, &c) in placement.iter().enumerate() {
            v[c] = vals[row][k].unwrap_or_default();
        }
        v
    };
    let mut domains: Vec<Vec<Vec<usize>>> = b
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if !pending(r) || vals[i].iter().any(Option::is_none) {
                // Complete rows (and rows with an unreadable value) stay as printed.
                return vec![r
                    .values
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| v.is_some())
                    .map(|(c, _)| c)
                    .collect()];
            }
            choices(&active, vals[i].len())
                .into_iter()
                .filter(|p| {
                    let v = spread(i, p);
                    col_ids.iter().all(|(lhs, terms)| {
                        let sum: Decimal = terms
                            .iter()
                            .map(|&(s, c)| if s < 0 { -v[c] } else { v[c] })
                            .sum();
                        (v[*lhs] - sum).abs() <= cent() * Decimal::from(terms.len() as u64)
                    })
                })
                .collect()
        })
        .collect();
    let mut groups: Vec<SumGroup> = sum_groups(b);
    groups.extend(row_identity_groups(b, ids));
    for _round in 0..20 {
        let mut changed = false;
        for g in &groups {
            let members: Vec<usize> = std::iter::once(g.total)
                .chain(g.parts.iter().map(|&(_, r)| r))
                .collect();
            let combos: usize = members.iter().map(|&m| domains[m].len().max(1)).product();
            if combos > MAX_COMBOS || members.iter().any(|&m| domains[m].is_empty()) {
                continue;
            }
            let mut supported: Vec<Vec<bool>> = members
                .iter()
                .map(|&m| vec![false; domains[m].len()])
                .collect();
            let mut idx = vec![0usize; members.len()];
            let tol = cent() * Decimal::from(g.parts.len().max(1) as u64);
            loop {
                let total = spread(g.total, &domains[g.total][idx[0]]);
                let mut sum = vec![Decimal::ZERO; n];
                for (k, &(s, r)) in g.parts.iter().enumerate() {
                    let v = spread(r, &domains[r][idx[k + 1]]);
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
                loop {
                    if k == idx.len() {
                        break;
                    }
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
            // A group no combination satisfies says nothing about its members' placements.
            if supported.iter().all(|s| !s.iter().any(|&x| x)) {
                continue;
            }
            for (k, &m) in members.iter().enumerate() {
                if supported[k].iter().any(|&x| !x) && domains[m].len() > 1 {
                    let keep: Vec<Vec<usize>> = domains[m]
                        .iter()
                        .zip(&supported[k])
                        .filter(|(_, &s)| s)
                        .map(|(p, _)| p.clone())
                        .collect();
                    if !keep.is_empty() && keep.len() < domains[m].len() {
                        domains[m] = keep;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    for (i, row) in b.rows.iter_mut().enumerate() {
        if !pending(row) {
            continue;
        }
        let placed: Vec<Value> = row.values.iter_mut().filter_map(Option::take).collect();
        let (placement, flag) = match domains[i].len() {
            1 => (domains[i][0].clone(), "placed_by_identity"),
            0 => ((0..placed.len()).collect(), "unplaced"),
            _ => (domains[i][0].clone(), "ambiguous_placement"),
        };
        for (mut v, c) in placed.into_iter().zip(placement) {
            v.flags.retain(|f| f != "pending_placement");
            v.flag(flag);
            row.values[c] = Some(v);
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
