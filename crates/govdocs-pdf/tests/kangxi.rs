//! Kangxi radicals that fonts put in ToUnicode maps instead of the ordinary ideographs.

use govdocs_pdf::kangxi_to_unified;

#[test]
fn radicals_map_to_ideographs() {
    for (radical, ideograph) in [
        ('⼀', '一'), // U+2F00
        ('⼈', '人'), // U+2F08
        ('⽇', '日'), // U+2F47
        ('⾦', '金'), // U+2FA6
        ('⼊', '入'), // U+2F0A
        ('⽀', '支'), // U+2F40
        ('⽤', '用'), // U+2F64
        ('⾏', '行'), // U+2F8F
        ('⼯', '工'), // U+2F2F
        ('⽉', '月'), // U+2F49
        ('⻓', '长'), // U+2ED3, CJK radicals supplement
        ('⻔', '门'), // U+2ED4
        ('⻢', '马'), // U+2EE2
        ('⺠', '民'), // U+2EA0
    ] {
        assert_eq!(
            kangxi_to_unified(radical),
            ideograph,
            "U+{:04X}",
            radical as u32
        );
    }
}

#[test]
fn punctuation_and_ordinary_characters_stay() {
    for c in [
        '（', '）', '，', '：', '、', '。', '一', '人', '日', '金', 'A', '1', '%', '⺅', '⻖',
    ] {
        assert_eq!(kangxi_to_unified(c), c, "U+{:04X}", c as u32);
    }
}
