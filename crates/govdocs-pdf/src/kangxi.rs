//! Kangxi radicals and CJK radical supplement characters that fonts map ordinary ideographs to.

/// The unified ideograph of each Kangxi radical U+2F00..=U+2FD5, in order (Unicode's
/// compatibility decompositions of the block).
const KANGXI: [&str; 6] = [
    "一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕大女子宀",
    "寸小尢尸屮山巛工己巾干幺广廴廾弋弓彐彡彳心戈戶手支攴文斗斤方无日曰月木欠止歹殳毋",
    "比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立竹米糸",
    "缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行衣襾見角言谷豆豕豸貝赤走足身車辛",
    "辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬骨高髟鬥鬯鬲鬼魚鳥鹵鹿麥麻",
    "黃黍黑黹黽鼎鼓鼠鼻齊齒龍龜龠",
];

/// CJK Radicals Supplement characters that stand for a whole character (not a component
/// form such as ⺅ or ⻖), with that character (Unicode's EquivalentUnifiedIdeograph data).
const SUPPLEMENT: &[(char, char)] = &[
    ('\u{2E9D}', '月'),
    ('\u{2E9F}', '母'),
    ('\u{2EA0}', '民'),
    ('\u{2EC4}', '西'),
    ('\u{2EC5}', '见'),
    ('\u{2EC6}', '角'),
    ('\u{2EC9}', '贝'),
    ('\u{2ECB}', '车'),
    ('\u{2ED1}', '長'),
    ('\u{2ED3}', '长'),
    ('\u{2ED4}', '门'),
    ('\u{2ED7}', '雨'),
    ('\u{2ED8}', '青'),
    ('\u{2ED9}', '韦'),
    ('\u{2EDA}', '页'),
    ('\u{2EDB}', '风'),
    ('\u{2EDC}', '飞'),
    ('\u{2EDD}', '食'),
    ('\u{2EE1}', '首'),
    ('\u{2EE2}', '马'),
    ('\u{2EE3}', '骨'),
    ('\u{2EE4}', '鬼'),
    ('\u{2EE5}', '鱼'),
    ('\u{2EE6}', '鸟'),
    ('\u{2EE7}', '卤'),
    ('\u{2EE8}', '麦'),
    ('\u{2EE9}', '黄'),
    ('\u{2EEA}', '黾'),
    ('\u{2EEB}', '斉'),
    ('\u{2EEC}', '齐'),
    ('\u{2EED}', '歯'),
    ('\u{2EEE}', '齿'),
    ('\u{2EEF}', '竜'),
    ('\u{2EF0}', '龙'),
    ('\u{2EF1}', '龜'),
    ('\u{2EF2}', '亀'),
    ('\u{2EF3}', '龟'),
];

/// Map a Kangxi radical (U+2F00–U+2FD5) or a whole-character CJK radical supplement form
/// (U+2E80–U+2EFF) to its unified ideograph; any other character is returned unchanged.
///
/// Unlike NFKC this leaves full-width punctuation such as `（，：` alone.
pub fn kangxi_to_unified(c: char) -> char {
    let u = c as u32;
    if (0x2F00..=0x2FD5).contains(&u) {
        let mut i = (u - 0x2F00) as usize;
        for row in KANGXI {
            let n = row.chars().count();
            if i < n {
                return row.chars().nth(i).unwrap_or(c);
            }
            i -= n;
        }
        return c;
    }
    if (0x2E80..=0x2EFF).contains(&u) {
        if let Ok(i) = SUPPLEMENT.binary_search_by_key(&c, |&(k, _)| k) {
            return SUPPLEMENT[i].1;
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete() {
        assert_eq!(
            KANGXI.iter().map(|r| r.chars().count()).sum::<usize>(),
            0x2FD6 - 0x2F00
        );
        assert!(SUPPLEMENT.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn every_kangxi_radical_maps_to_an_ideograph() {
        for u in 0x2F00..=0x2FD5u32 {
            let c = char::from_u32(u).unwrap();
            let m = kangxi_to_unified(c);
            assert_ne!(m, c, "U+{u:04X}");
            assert!((0x4E00..=0x9FFF).contains(&(m as u32)), "U+{u:04X} -> {m}");
        }
        assert_eq!(kangxi_to_unified('\u{2FD5}'), '龠');
    }
}
