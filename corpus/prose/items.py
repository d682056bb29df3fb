"""Item phrases for prose figures: the noun phrase a figure belongs to, trimmed of connector words,
plus change phrases (较2023年年初预算减少 …) with their direction and comparison year."""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.prose.headings import list_marker, split_code
from corpus.prose.units import normalize

# Words that say nothing on their own: an item made only of these gets its subject prefixed.
GENERIC = frozenset("""
预算 预算数 年初预算 年初预算数 调整预算 调整预算数 全年预算 全年预算数 调整后预算数 决算 决算数 执行数 实际执行
实际支出 实际完成 实际 支出 收入 金额 资金 经费 合计 总计 小计 共计 总额 资金总额 财政拨款 其他资金 其中 占比 比例
比重 执行率 预算执行率 完成预算 完成率 预算安排 安排 支付金额 新增 差额 原值 支出数 支出合计 收入合计 预算总额
决算数为 得分 项目全年预算数 项目金额 增加 减少 增长 下降 增幅 减幅 降幅 上年决算数 上年
""".split())
GENERIC_SUFFIXES = ("调整后的预算数", "调整后预算数", "年初预算数", "年初预算", "调整预算数", "全年预算数",
                    "预算数", "决算数", "执行数", "预算", "决算", "合计", "总计", "支出数")
_LEAD = sorted("""
其中： 其中 包括： 包括 主要包括： 主要包括 具体包括： 具体包括 该项目主要包括 主要是 主要用于 用于 共计 共有 共设
合计 总计 约 达到 安排 为 是 及 和 以及 另外 此外 即 全部为 均为 分别为 分别是 本单位 本部门 本年度
全年 当年 我中心 我局 我市 全市 该项目 相应安排 同时 并 且 已 目前 其他为 下设 因此 通过 主要原因是 剔除 与
产出指标 数量指标 质量指标 时效指标 成本指标 效益指标 社会效益指标 经济效益指标 满意度指标 服务对象满意度指标
""".split(), key=len, reverse=True)
_TRAIL = sorted("""
为 是 共计 合计 共 约 达 达到 高达 有 已有 共有 总计 安排 的 了 从 至 到 分别为 分别是 均为 共设 累计达 并 各 在
""".split(), key=len, reverse=True)
_TOTALS = ("合计", "共计", "总计", "安排")           # kept when the rest alone says nothing (收入合计)
_TEMPORAL = ("本年度", "本年", "全年", "当年")     # kept when the rest alone says nothing (本年度支出)
# A leading connector is part of the word when followed by one of these (及时, 并购, 即时 ...).
_LEAD_GUARDS = {"及": "时格早", "并": "购表", "即": "时将", "和": "谐", "是": "否", "为": "期", "与": "会"}
# A trailing connector is part of the word when preceded by one of these (国有, 行为, 下达, 节约 ...).
_TRAIL_GUARDS = {"有": "国所拥持原现实", "为": "作认", "达": "下到表传送", "约": "节合预签契制",
                 "的": "目", "是": "但就", "共": "公", "在": "存现实所正内外"}
_DIRECTIONS = {"增加": "增加", "减少": "减少", "增长": "增长", "下降": "下降", "增幅": "增长", "减幅": "下降",
               "降幅": "下降", "上升": "增长", "提高": "增加", "降低": "减少", "持平": "持平"}
_DIR_RE = re.compile(r"(增加|减少|增长|下降|增幅|减幅|降幅|上升|提高|降低)(?:了|为|达)?\s*$")
_BASE_RES = (
    re.compile(r"与\s*(?P<what>(?:[^，,。；;（(]|[（(][^）)]*[）)]|(?<=\d),(?=\d)){0,60}?)\s*相比"),
    re.compile(r"(?P<cmp>较|比|同比)\s*(?P<what>上年同期|上一年度?|上年度?|去年|同期|\d{4}\s*年(?:度)?)"
               r"\s*(?P<tail>(?:年初|全年|调整)?(?:预算数|预算|决算数|决算|支出数|支出)?)"),
)
_YEAR_RE = re.compile(r"(\d{4})\s*年(?:度)?")
_DATE_RE = re.compile(r"截至[^，,。；;]*?日|\d{1,2}\s*月(?:份|底|末|初)?(?:\d{1,2}\s*日)?(?:前)?|\d{1,2}\s*日")
_ENUM_RE = re.compile(r"^[一二三四五六七八九十]是")
_SPACE_RE = re.compile(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")
_SPLIT_RE = re.compile(r".*(?:且|并且|以及|同时|从而|使得|导致)")
_EDGE_PUNCT = "，,。；;：:、 \t\"'-—·"
_OPENERS = {"（": "）", "(": ")", "《": "》", "“": "”", "‘": "’", "【": "】"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
# After-phrase (noun after a count figure) ends at these words.
_AFTER_STOP_RE = re.compile(r"的|有|已|均|全部|实现|开通|使用|进驻|开展|按时|完成|上线|签订|接入|参加|参与|提供|获得|"
                            r"享受|进行|发生|达到|达|为|是|在|于|精简|减少|增加|涉及|覆盖|配备|办理|申请|用于|共|"
                            r"及|和|与|以上|以下|左右|分别|通过|合计|共计|将|被|由|等|需|可|作为|需要|纳入|负责|"
                            r"开放|满足|缴费|拟|各|列入")
_PERSON_HEAD_RE = re.compile(r".*?(?:人员|职工|员工|干部|学生|儿童|工作者|对象|律师|专家|老人|患者|人)")
_MODIFIERS = ("原有", "新增", "剩余", "累计", "现有", "实有", "精简", "存量", "在用", "闲置", "在编", "在职", "退休")


def squeeze(text: str) -> str:
    """Drop PDF spacing inside Chinese text; keep spaces between Latin words and digits."""
    return _SPACE_RE.sub("", text.strip())


def _strip_edges(s: str) -> str:
    """Edge punctuation off; brackets and quotes only when they have no partner inside."""
    while True:
        s = s.strip(_EDGE_PUNCT)
        if not s:
            return s
        if s[0] in _OPENERS and _OPENERS[s[0]] not in s[1:] or s[0] in _CLOSERS:
            s = s[1:]
        elif s[-1] in _OPENERS or s[-1] in _CLOSERS and _CLOSERS[s[-1]] not in s[:-1]:
            s = s[:-1]
        else:
            return s


@dataclass(frozen=True)
class Phrase:
    item: str
    years: tuple[int, ...]
    code: str | None


def clean(raw: str, orgs: tuple[str, ...] = (), doc_year: int | None = None) -> Phrase:
    """A raw clause fragment to an item label: markers, codes, dates, connectors and org prefix removed."""
    s = normalize(squeeze(raw))
    while True:
        m = list_marker(s)
        if not m:
            break
        s = m.rest.lstrip()
    s, code = split_code(_strip_edges(s))
    years = tuple(int(y) for y in _YEAR_RE.findall(s))
    with_years = s
    s = _DATE_RE.sub("", s)
    s = _trim(_YEAR_RE.sub("", s), orgs)
    if (not s or is_generic(s)) and any(y != doc_year for y in years):
        s = _trim(_DATE_RE.sub("", with_years), orgs)      # 与2019年度收入: the year is the point
    m = _SPLIT_RE.match(s)
    if m and len(s) > 20 and len(s) - m.end() >= 2:
        s = s[m.end():]
    return Phrase(s, years, code)


def _trim(s: str, orgs: tuple[str, ...]) -> str:
    changed = True
    while changed and s:
        changed = False
        s2 = _strip_edges(s)
        s2 = _ENUM_RE.sub("", s2)
        for org in orgs:
            if s2.startswith(org) and len(s2) - len(org) >= 4:
                s2 = s2[len(org):]
        for word in _LEAD:
            if s2 == word and word not in GENERIC:
                s2 = ""
                break
            if s2.startswith(word) and len(s2) > len(word) and s2[len(word)] not in _LEAD_GUARDS.get(word, "") \
                    and (word not in _TEMPORAL or not is_generic(s2[len(word):])):
                s2 = s2[len(word):]
                break
        for word in _TRAIL:
            if s2.endswith(word) and len(s2) > len(word) and \
                    s2[-len(word) - 1] not in _TRAIL_GUARDS.get(word, "") and \
                    (word not in _TOTALS or not is_generic(s2[: -len(word)])):
                s2 = s2[: -len(word)]
                break
        if s2 != s:
            s, changed = s2, True
    return _strip_edges(s)


def is_generic(item: str) -> bool:
    return not item or item in GENERIC or len(item) == 1 or bool(re.fullmatch(r".{0,2}(?:率|比例|占比)", item))


def subject_of(item: str, budget_doc: bool = True) -> str | None:
    """An item usable as the subject of later generic items / change phrases, or None."""
    if is_generic(item):
        return None
    for suffix in GENERIC_SUFFIXES:
        if item.endswith(suffix) and len(item) - len(suffix) >= 2:
            rest = _trim(item[: -len(suffix)], ())
            return rest if not is_generic(rest) else item
    return item


def budget_item(item: str) -> str:
    """'财政对医疗保障的补助预算' -> '财政对医疗保障的补助' (in a budget, 预算 adds nothing)."""
    for suffix in ("预算数", "预算"):
        if item.endswith(suffix) and len(item) - len(suffix) >= 2:
            rest = item[: -len(suffix)]
            if not is_generic(rest) and not rest.endswith(("年初", "调整", "全年", "部门", "的")):
                return rest
    return item


def compose(subject: str, item: str) -> str:
    if not subject or not item:
        return subject or item
    if item.startswith(subject):
        return item
    return f"{subject} {item}"


@dataclass(frozen=True)
class Base:
    start: int
    end: int
    text: str          # normalised, e.g. 较2023年年初预算, 比上年, 与2019年度相比
    year: int | None

    @property
    def what(self) -> str:
        """The compared-to quantity without 较/比: 上年决算数, 2021年预算."""
        return re.sub(r"^(?:较|比|同比|与)|相比$", "", self.text)


def base_mentions(text: str, doc_year: int) -> list[Base]:
    """Comparison bases (较上年 / 比2021年预算 / 与2019年度…相比) in a sentence, in order."""
    found: list[Base] = []
    for rx in _BASE_RES:
        for m in rx.finditer(text):
            what = squeeze(m.group("what"))
            year = _year_of(what, doc_year)
            if "cmp" in rx.groupindex:
                label = m.group("cmp") + what + squeeze(m.group("tail") or "")
            else:
                ym = _YEAR_RE.search(what)
                label = "与" + (squeeze(ym.group(0)) if ym else ("上年" if year else what)) + "相比"
            found.append(Base(m.start(), m.end(), normalize(label), year))
    found.sort(key=lambda b: b.start)
    return found


def _year_of(what: str, doc_year: int) -> int | None:
    m = _YEAR_RE.search(what)
    if m:
        return int(m.group(1))
    if what.startswith(("上年", "上一年", "去年")):
        return doc_year - 1
    return None


def direction_at_end(phrase: str) -> tuple[str, int] | None:
    """('减少', offset) when the phrase ends with a change word right before the figure."""
    m = _DIR_RE.search(phrase)
    if not m:
        return None
    return _DIRECTIONS[m.group(1)], m.start()


def after_noun(after: str, unit: str) -> str:
    """The noun a count figure counts when it is printed after it: 1246台|自助服务终端."""
    s = squeeze(after)
    if not s or not ("\u4e00" <= s[0] <= "\u9fff" or s[0] == "“"):
        return ""
    paren = re.search(r"[（(]", s)
    if paren and not re.match(r"[（(][^）)]{1,3}[）)]", s[paren.start():]):
        s = s[: paren.start()]
    stop = _AFTER_STOP_RE.search(s)
    if stop:
        s = s[: stop.start()]
    if unit.lstrip("万") in ("名", "人", "人次"):
        m = _PERSON_HEAD_RE.match(s)
        if m:
            s = m.group(0)
    s = _trim(s, ())
    return s if len(s) >= 2 else ""


def modifier_of(before_item: str) -> str:
    """Short state words kept in front of an after-noun: 原有 408 个步骤 -> 原有步骤."""
    for word in _MODIFIERS:
        if before_item.endswith(word):
            return word
    return ""


# "从 A 增加到 B" / "由 A 降至 B": the start and the end of one change, each with its state words.
_FROM_RE = re.compile(r"(?:从(?!事|业|而|严|重|优|快|新|头)|由(?!于|此))(?P<state>[^，,。；;从由]{0,16}?)(?:的)?$")
_TO_RE = re.compile(r"^(?:的)?(?:(?:增加|增长|提高|提升|上升|扩大|减少|下降|降低|缩减|缩小|缩短|压减|压缩|调整|升|降)(?:了)?"
                    r"(?:到|至|为)|变为|(?:了)?(?:到|至))(?P<state>[^，,。；;]{0,10}?)(?:的)?$")   # 缩短为 2.21 天


@dataclass(frozen=True)
class FromTo:
    subject: str           # what changed: 医保服务网点 ('' when the clause names nothing before 从)
    before: str            # state words printed with the start: 机构改革前, 2019年 ('' when none)
    after: str             # state words printed with the end: 现在 ('' when none)


def from_to(before_start: str, between: str) -> FromTo | None:
    """The clause before a start figure and the words between it and the next figure, when the two
    figures are the ends of "从 A 增加到 B": ('医保服务网点从机构改革前的', '增加到现在的') ->
    FromTo('医保服务网点', '机构改革前', '现在'). Pure."""
    head = normalize(squeeze(before_start))
    m = _FROM_RE.search(head)
    t = _TO_RE.match(normalize(squeeze(between)))
    if not m or not t:
        return None
    subject = _strip_edges(head[: m.start()])
    return FromTo(subject, _strip_edges(m.group("state")), _strip_edges(t.group("state")))


_VERB_LEAD_RE = re.compile(r"^(?:认真|全面|积极|组织|开展|进行|完成|实施|推进|做好|启动|按要求)+")


def echo_phrase(item: str, earlier: str, orgs: tuple[str, ...] = (), doc_year: int | None = None) -> str:
    """A short item that repeats the last word of a longer phrase printed earlier in its sentence (with no
    figure of its own) takes that phrase: ('自评', '开展 2020 年度部门整体绩效自评工作，') -> '部门整体绩效自评'.
    Pure."""
    if not 2 <= len(item) <= 3:
        return item
    s = normalize(squeeze(earlier))
    i = s.rfind(item)
    if i <= 0:
        return item
    begin = max(s.rfind(p, 0, i) for p in "，,。；;：:") + 1
    rest = re.split(r"[，,。；;：:]", s[i + len(item):], maxsplit=1)[0]
    if re.search(r"\d", rest):
        return item                     # the earlier phrase has a figure of its own: another item
    phrase = _VERB_LEAD_RE.sub("", clean(s[begin:i + len(item)], orgs, doc_year).item)
    return phrase if len(item) < len(phrase) <= 16 and phrase.endswith(item) else item


_YEAR_HEAD_RE = re.compile(r"^((?:19|20)\d\d\s*年度?)(.+)$")


def earlier_item(item: str, subject: str | None) -> str:
    """The compared-with figure of "与 2019 年度收入 X 相比" names the sentence's subject in that year:
    ('2019年度收入', '总收入') -> '2019年度总收入'; unchanged unless the words after the year are generic
    and part of the subject. Pure."""
    m = _YEAR_HEAD_RE.match(item)
    subject = re.sub(r"^(?:本年度|本年|当年|全年|今年)", "", subject or "")
    if not m or not subject or subject == m.group(2):
        return item
    what = m.group(2)
    return m.group(1) + subject if is_generic(what) and what in subject else item
