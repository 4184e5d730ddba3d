"""The host's feedback classifier: a documented keyword table, no model (docs/host-api.md, "Feedback").

A text is read for four kinds of words:

* **high**: words that make any text a complaint of high priority (投诉, 乱收费, 态度差, 误导, 举报, 吞卡, ...):
  it is escalated to the branch manager at once;
* **complaint**: words of dissatisfaction (太慢, 不方便, 故障, 不合理, 不耐烦, ...);
* **suggestion**: words that ask for something better (建议, 希望, 能否, 增加, 改进, ...);
* **category** words, one table per category (排队 -> waiting_time, 手续费 -> fees, 机器 -> equipment, ...).

A word right after a negation (不, 没, 没有, 无, 未, 并非) does not count ("没有乱收费"), except where the
negation is part of the word itself (不方便). The decision, in this order:

1. a high word: complaint, priority ``high``;
2. the customer said "complaint": complaint, priority ``normal`` (a customer who calls it a complaint is
   answered as one);
3. more complaint words than suggestion words: complaint, priority ``normal`` (a "suggestion" that complains
   is answered within the complaint deadline);
4. otherwise a suggestion, priority ``low``.

The category is the customer's choice; when the customer chose "other", the category whose words the text
names most (ties in the order of :data:`CATEGORIES`), else "other". ``detected`` is the text's own category
either way, so the bank can see where the customer's choice and the words disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("service_attitude", "waiting_time", "fees", "equipment", "products", "other")
KINDS = ("complaint", "suggestion")

HIGH_WORDS = (
    "投诉", "乱收费", "乱扣", "多扣", "私自扣", "态度差", "态度恶劣", "态度很差", "态度极差", "骂人", "辱骂",
    "欺骗", "误导", "强制", "强行", "搭售", "捆绑", "举报", "曝光", "12378", "监管", "刁难", "推诿", "歧视",
    "吞卡", "钱没到", "少了钱", "被盗刷", "盗刷",
)
COMPLAINT_WORDS = (
    "不满", "太慢", "太长", "太久", "太贵", "太高", "太多", "太少", "太小", "不方便", "不合理", "不清楚", "不耐烦",
    "不理", "没人管", "没人理", "没人", "故障", "坏了", "死机", "失灵", "卡住", "失败", "出错", "难用", "看不清",
    "听不清", "冷淡", "差劲", "很差", "体验差", "慢", "浪费时间", "不退", "不给办", "办不了", "白跑",
)
SUGGESTION_WORDS = (
    "建议", "希望", "能否", "能不能", "可否", "是否可以", "可不可以", "最好", "增加", "增设", "多设", "多开",
    "提供", "改进", "优化", "改善", "如果能", "应该", "期待", "放大", "延长",
)
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "service_attitude": ("态度", "服务", "柜员", "工作人员", "大堂", "经理", "保安", "不耐烦", "冷淡", "骂人", "辱骂",
                         "推诿", "刁难", "歧视", "没人理", "没人管", "解释", "热情", "耐心"),
    "waiting_time": ("排队", "等待", "等了", "等候", "叫号", "取号", "窗口", "太久", "太慢", "浪费时间", "人太多",
                     "效率", "小时", "分钟"),
    "fees": ("收费", "手续费", "年费", "管理费", "扣费", "扣款", "乱扣", "多扣", "费用", "费率", "工本费", "短信费",
             "扣钱", "收钱", "盗刷", "钱没到", "少了钱"),
    "equipment": ("机器", "设备", "柜台机", "自助", "屏幕", "触摸", "打印", "凭条", "读卡", "吞卡", "键盘", "密码键盘",
                  "死机", "故障", "失灵", "卡住", "摄像头", "人脸", "刷脸", "操作", "字太小", "声音"),
    "products": ("理财", "利率", "利息", "存款", "定期", "贷款", "信用卡", "基金", "保险", "产品", "额度", "搭售",
                 "捆绑", "收益"),
}
NEGATIONS = ("没有", "并非", "不", "没", "无", "未")


@dataclass(frozen=True)
class Classification:
    kind: str  # complaint, suggestion
    priority: str  # high, normal, low
    category: str  # the category the feedback is filed under
    detected: str  # the category the text's own words point to ("other" when none)
    reclassified: bool  # the customer said suggestion, the words made it a complaint
    matched: tuple[str, ...]  # the words that decided, for the bank's handler (never shown to the kiosk)


def normalise(text: str) -> str:
    """Lower case, no white space: the table's words match across line breaks and spaces."""
    return "".join(text.lower().split())


def _negated(text: str, at: int) -> bool:
    return any(text[max(at - len(n), 0):at] == n for n in NEGATIONS)


def found(text: str, words: tuple[str, ...]) -> list[str]:
    """The words of ``words`` in ``text`` that are not negated (each counted once)."""
    hits = []
    for word in words:
        start = text.find(word)
        while start >= 0:
            if not _negated(text, start) or word.startswith(NEGATIONS):
                hits.append(word)
                break
            start = text.find(word, start + 1)
    return hits


def detect_category(text: str) -> str:
    scores = {c: len(found(text, words)) for c, words in CATEGORY_WORDS.items()}
    best = max(scores.values(), default=0)
    return next(c for c in CATEGORIES if scores.get(c, 0) == best) if best else "other"


def classify(text: str, stated_kind: str | None = None, chosen_category: str = "other") -> Classification:
    """Classify ``text``; ``stated_kind`` and ``chosen_category`` are what the customer chose at the kiosk."""
    plain = normalise(text)
    high = found(plain, HIGH_WORDS)
    complaint = found(plain, COMPLAINT_WORDS)
    suggestion = found(plain, SUGGESTION_WORDS)
    if high:
        kind, priority, matched = "complaint", "high", high
    elif stated_kind == "complaint":
        kind, priority, matched = "complaint", "normal", complaint
    elif len(complaint) > len(suggestion):
        kind, priority, matched = "complaint", "normal", complaint
    else:
        kind, priority, matched = "suggestion", "low", suggestion
    detected = detect_category(plain)
    category = detected if chosen_category == "other" else chosen_category
    return Classification(kind=kind, priority=priority, category=category, detected=detected,
                          reclassified=stated_kind == "suggestion" and kind == "complaint", matched=tuple(matched))
