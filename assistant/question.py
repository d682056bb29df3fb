"""Question understanding: org, year, kind, operation, topic phrase, codes, unit and figures asked
about. Pure functions over the question text and the corpus catalog."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from assistant.changewords import DERIVED_BY
from assistant.intent import Intent, parse_intent
from assistant.orgs import OrgDirectory, OrgMentions
from assistant.text import is_english, nfkc
from assistant.timeframe import SHORT_YEAR, KindHint, Years, parse_kind, parse_years

_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{1,40})[”\"」』]")
_CODE = re.compile(r"(?<![\d.])(?<!\d,)(\d{3,7})(?![\d%])(?![.,]\d)(?!\s*(?:年|万|元|亿|台|人|个|家|辆|笔|倍|名|%))")
_FIGURE = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(亿元|万元|亿|万|元|"
                     r"\((?:units of |in )?(?:10,000|100 million) yuan\))", re.I)   # English: 160,000 (10,000 yuan)
_YEAR_EXPR = re.compile(r"(?:截至|截止|到)?\s*(?:19|20)\d\d\s*年?度?(?:底|末|初|12月31日)?(?:的|那份|这份)?")
_RELATIVE = re.compile(r"大前年|前年|two years (?:before|earlier|ago|prior)|今年|去年|明年|本年度|上一年|前一年|(?<![比较与和同])上年(?!结|度?预算数|数|末)|this year|last year|next year|the year before|"
                       r"a year earlier|the previous year|the prior year", re.I)
_FILLERS_ZH = [
    "请问", "帮我查一下", "帮我查", "帮我", "查一下", "告诉我", "我想知道", "想知道", "请告诉我",
    "是多少钱", "多少钱", "是多少", "为多少", "要多少", "需要多少", "得多少", "有多少", "一共有多少", "有几", "是几", "多少", "几", "是什么", "什么", "哪些",
    "总共", "一共", "共计", "分别", "各自", "各是", "各为", "大概", "大约", "约", "具体", "这一项", "一项", "这项", "该项", "这个科目", "科目",
    "安排了", "安排", "花多少钱", "花了多少钱", "花费多少", "花多少", "花掉", "要花", "花钱", "花了", "花在", "用了", "用于", "用来", "拿来", "用在", "定的是", "定的", "给", "发的", "对应",
    "这钱", "那份", "这份", "那个", "这个", "看", "它", "里面", "里头", "里边", "里", "之中", "当中", "中", "其中",
    "吗", "呢", "啊", "呀", "吧", "了", "的", "是", "有", "在", "要", "能", "会", "还", "最后", "现在", "目前",
    "按", "口径", "万元", "元", "钱", "金额", "数", "预算表", "决算表", "表",
]
_TOPIC_STRIP_EN = re.compile(          # of / to / is / was / as / than / on / in stay: operands split on them
    r"\b(?:what|whats|are|the|how|many|for|did|does|do|a|an|by|its|it|their|"
    r"this|that|these|those|year|yuan|printed|units?|10,000|please|tell|me|show|give|there|which|and|"
    r"with|from|at|be|been|spend|spent|actually|actual|government's|s|have|has|had|does|do|own|owns|get|"
    r"got|there|they|its|about|much|figure|amount)\b", re.I)
_ORG_WORDS_EN = re.compile(r"\b(?:healthcare|health care|health|medical|security|insurance|fund|management|"
                           r"administration|administrative|bureau|center|centre|municipal|city)\b", re.I)
TOTAL_WORDS = re.compile(r"^(?:of|is|in|on|to|as|much|部门|整体|全部|总|预算|决算|总额|规模|总盘子|合计|总计|收入|支出|收支|经费|钱|多少|total|"
                         r"overall|whole|entire|department(?:al)?|annual|budgets?|size|big|large|spending|expenditures?|revenues?|"
                         r"income|consolidated|went|goes|go|allocated|given|itself|proper|"
                         r"汇总|本级|单位|部门预算|大约|大概|约|the|of|\s)+$", re.I)
WHOLE_UNIT = re.compile(r"整体|全部门|整个(?:部门|单位|中心|局)|全(?:中心|局)(?:的|整体)|\boverall\b(?! (?:score|rating))|"
                        r"\bas a whole\b|"
                        r"\b(?:whole|entire) (?:department|unit|cent(?:er|re)|bureau|organi[sz]ation)\b|"
                        r"\bdepartment-wide\b", re.I)
# a rate or score asked of the organisation with no item named (全年预算执行率, 绩效自评得分): the department's own
_EXAMPLES_OF = re.compile(r"^(?:像|比如|例如|包括)?\s*\S{2,}?(?:[、，,和及与]\s*\S{2,}?)+\s*(?:这些|这类|这样的|之类的?|等等?)"
                          r"(?:的)?\s*(?P<item>[\u4e00-\u9fff]{2,})\s*$")
_SCOPE_OR_KIND = re.compile(r"本级|汇总|预算|决算|预算数|决算数|调整预算|万元|元")
# a bracketed gloss that restates the item in other words (（就是那份“第二养老金”）) tells the reader, not the search
_GLOSS = re.compile(r"[(（]\s*(?:就是|即|也就是|也叫|俗称|又叫|又称|通常说的|所谓|i\.e\.|aka)[^)）]*[)）]", re.I)
_CJK_IN_BRACKETS = re.compile(r"[(（]\s*([\u4e00-\u9fff]{2,12})\s*[)）]")
COUNT_TOPICS = {"人": "在职人数", "台": "台数", "辆": "车辆"}      # what a bare count question counts
_COUNT_RESTATED = re.compile(r"[人个位名台辆]|人员|员工|职工|干部|\b(?:people|persons?|staff|employees|workers|"
                             r"work(?:s|ing)?|employ(?:s|ed)?|are|is|there|do|does|have|has|in|at|on|for|the|its|of)\b",
                             re.I)
_MEASURE_ONLY = re.compile(r"^(?:全年|年度|本年|部门|单位|预算|执行率|执行|完成率|自评|绩效|得分|分数|评分|总分|整体|总体|\s|"
                           r"\b(?:annual|overall|budget|execution|implementation|rate|self-evaluation|self-assessment|"
                           r"performance|evaluation|score|of|the|its|in)\b)*(?:执行率|得分|总分|评分|rate|score)\s*$", re.I)


def measure_only(topic: str) -> bool:
    """The topic names a rate or score and no item (执行率, 得分, budget execution rate)."""
    return bool(topic and _MEASURE_ONLY.match(topic))


_TOTAL_MARKERS = re.compile(r"总额|部门|规模|总预算|全部|整体|total|overall|whole|entire|size", re.I)


@dataclass
class Parsed:
    text: str
    english: bool
    orgs: OrgMentions
    years: Years
    kind: KindHint
    intent: Intent
    topic: str = ""                      # what is asked about, org / year / fillers removed
    quoted: list[str] = field(default_factory=list)
    bracketed: list[str] = field(default_factory=list)    # Chinese item names in brackets: （委托业务）
    codes: list[str] = field(default_factory=list)
    figures: list[tuple[Decimal, str]] = field(default_factory=list)   # (value, unit) mentioned in the question
    unit_hint: str | None = None         # 万元 / 元 / 台 / 人 / 个 / % ...
    total_topic: bool = False            # the overall budget of the org (部门预算 / total budget)
    years_inherited: bool = False        # the years came from an earlier turn, not this question
    follow_up: bool = False              # the question leans on an earlier turn (history)
    context_topic: str = ""              # 其中… / of it: the earlier turn's topic the part lies within
    sum_previous: bool = False           # 加起来一共多少: add up the figures of the earlier turn
    topics: list[str] = field(default_factory=list)   # topics of the conversation so far, oldest first
    stated: object = None                # the fact (FactView) the earlier answer stated for the topic, if known
    org_turns: list = field(default_factory=list)     # organisations (OrgMentions) of the earlier turns, oldest first
    whole_unit: bool = False             # 整体 / overall / as a whole: the department itself, not one project
    container: tuple[str, str] | None = None   # "A里，B是多少": (B, A) — B may be an item inside A

    @property
    def language(self) -> str:
        return "en" if self.english else "zh"


def parse_question(question: str, orgs: OrgDirectory, latest_year: int | None) -> Parsed:
    q = _GLOSS.sub(" ", nfkc(question)).strip()
    p = Parsed(text=q, english=is_english(q), orgs=orgs.detect(q), years=parse_years(q, latest_year),
               kind=parse_kind(q), intent=parse_intent(q))
    p.quoted = [m.group(1).strip() for m in _QUOTED.finditer(q)]
    # "authorised posts (编制)": the Chinese name an English question gives is the item asked
    named = [t for t in _CJK_IN_BRACKETS.findall(q) if not orgs.detect(t).explicit and not _SCOPE_OR_KIND.fullmatch(t)]
    p.figures = figures_in(q)
    p.codes = [c for c in _CODE.findall(_YEAR_EXPR.sub(" ", _FIGURE.sub(" ", q))) if not _is_year(c)]
    p.unit_hint = unit_hint(q)
    p.topic = topic_text(q, p.orgs, orgs, items=p.intent.operation in ("sum", "compare", "list") or bool(
        re.search(r"\b(?:difference|gap) between\b", q, re.I)))
    if p.unit_hint in COUNT_TOPICS and not _COUNT_RESTATED.sub("", p.topic).strip():   # 有多少人: the count is the subject
        p.topic = COUNT_TOPICS[p.unit_hint]
    m = _EXAMPLES_OF.match(p.topic)
    if m and p.intent.operation in ("lookup", "sum"):     # 电话、网络、寄信这些邮电费: the examples explain the item
        p.topic = m.group("item").strip()
        p.intent.operation = "lookup"
    p.bracketed = named
    if p.english and named and p.intent.operation == "lookup":
        p.topic, p.quoted = " ".join(named), p.quoted + named
    p.total_topic = is_total_topic(p.topic)
    p.whole_unit = bool(WHOLE_UNIT.search(q)) or bool(p.topic and _MEASURE_ONLY.match(p.topic))
    return p


_CONTAINER = re.compile(r"^(?P<outer>.{4,}?)(?:(?:里面|里头|里|当中|之中|中)\s*[，,]|\s*[，,]\s*(?:[这那]?(?:里面|里头|里边|当中)|其中))"
                        r"\s*(?P<inner>[^，,]{2,})$")
_CONTAINER_EN = re.compile(r"^(?:with)?in (?P<outer>[^,]{4,}),\s*(?P<inner>[^,]{4,})$", re.I)


_RATIO_SPEC = re.compile(r"[（(]\s*([^（）()/÷]{2,24}?)\s*[/÷]\s*([^（）()/÷]{2,24}?)\s*[)）]")
_RATE_ASKED = re.compile(r"(?:的)?[\u4e00-\u9fff]{0,8}(?:率|比例|比重|占比)\s*(?:是|为|有)?\s*(?:多少|几)?\s*[？?]?\s*$")


def spell_out_ratio(q: str) -> str:
    """"完成率是多少（完成预审核/申请预审）": the bracket says what is divided by what, so the rate is asked as
    "完成预审核占申请预审的比例"."""
    m = _RATIO_SPEC.search(q)
    if not m:
        return q
    rest = (q[:m.start()] + q[m.end():]).strip()
    if not _RATE_ASKED.search(rest):
        return q
    head = _RATE_ASKED.sub("", rest).rstrip("，,的 ")
    return f"{head}，{m.group(1).strip()}占{m.group(2).strip()}的比例是多少？"


def container_split(q: str) -> tuple[str, str] | None:
    """"信息化系统运行维护项目里，国家医保平台的后续运营费是多少" / "In the IT project, how much is the
    platform fee": (the item it lies within, the item asked about)."""
    m = _CONTAINER.match(q.strip()) or _CONTAINER_EN.match(q.strip())
    return (m.group("outer"), m.group("inner")) if m else None


def _is_year(code: str) -> bool:
    return len(code) == 4 and code.startswith(("19", "20"))


def figures_in(q: str) -> list[tuple[Decimal, str]]:
    """Money figures the question itself quotes, converted to 万元 (16亿元 -> 160000 万元)."""
    out = []
    for m in _FIGURE.finditer(q):
        value = Decimal(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
        unit = m.group(3)
        if unit.startswith("("):
            unit = "亿元" if "million" in unit else "万元"
        if unit in ("亿元", "亿"):
            out.append((value * 10000, "万元"))
        elif unit in ("万元", "万"):
            out.append((value, "万元"))
        else:
            out.append((value, "元"))
    return out


_COUNTER = object()
_COUNTER_EN = {"groups": "组", "batches": "批", "days": "天", "hours": "小时", "kinds": "种", "types": "种", "articles": "篇"}


def unit_hint(q: str) -> str | None:
    rules = [
        (r"精确到元|多少元(?!/)|(?<!万)元为单位|in yuan\b(?!.*10,000)", "元"),
        (r"百分之|比例|比重|占比|几成|%|percent|percentage|share|proportion|率(?:是|为|多少)|率\s*[？?]?\s*$|执行进度|完成进度|\bprogress\b|"
         r"\b(?:execution|implementation|completion|utili[sz]ation|disbursement|growth|coverage|pass) rates?\b", "%"),
        (r"几倍|多少倍|how many times", "倍"),
        (r"多少台|几台|台数|how many (?:\S+ )?(?:devices|terminals|machines|kiosks)", "台"),
        (r"几辆|多少辆|车辆数|how many (?:\w+ )?(?:cars|vehicles)", "辆"),
        (r"多少家|几家|how many (?:institutions|hospitals|agencies|pharmacies)", "家"),
        (r"多少笔|几笔", "笔"),
        (r"多少分|几分|得分|评分|(?:self-)?evaluation score|\bscored?\b|\bpoints\b", "分"),
        (r"人次|person-times|patient visits|how many visits", "人次"),
        (r"(?:标准|standard)[^？?]{0,12}(?:每人|人均|per person|per capita)|(?:每人|人均|per person|per capita)[^？?]{0,8}"
         r"(?:标准|standard)|每人(?:补助|补贴)?(?:是|为)?多少钱|元/人", "元/人"),
        (r"多少钱|钱是多少|金额|how much money", "万元"),      # 给在编人员交的年金是多少钱: money, whoever it is for
        (r"多少名|几名|多少人|几人|人数|(?<![花用投放发])在[编职](?!(?:人员|职工|员工)?[^？?]{0,6}(?:费|金|资|保险|补贴|补助|支出))|编制|how many (?:people|staff|employees|persons)|headcount|"
         r"(?:多少|几)(?:个|位)?(?:(?![钱元费资])[\u4e00-\u9fff]){0,4}(?:人员|职工|员工|干部)|(?:多少|几)个?人(?!次)", "人"),
        (r"多少个|几个", "个"),
        (r"(?:多少|几)\s*(批次|组|批|种|篇|天|小时|项|单|所|座|场|期|类)", _COUNTER),    # the counter word is the unit
        (r"how many (?:[\w-]+ ){0,3}?(groups|batches|days|hours|kinds|types|articles)\b", _COUNTER),
        (r"多少宗|几宗", "宗"),
        (r"多少件|几件", "件"),
        (r"多少条|几条", "条"),
        (r"多少户|几户", "户"),
        (r"how many", None),
        (r"面积|平方米|square met", "平方米"),
        (r"万元|多少钱|钱|金额|经费|费用|预算|决算|花了|花费|支出|资金|how much|10,000 yuan|yuan|spend|budget", "万元"),
    ]
    for pattern, unit in rules:
        m = re.search(pattern, q, re.I)
        if m:
            if unit is _COUNTER:
                return _COUNTER_EN.get(m.group(1).lower(), m.group(1))
            return unit            # None for a bare "how many": a count of something unnamed
    return None


def topic_text(q: str, mentions: OrgMentions, orgs: OrgDirectory, items: bool = False) -> str:
    """The question with organisation names, years, codes, quoted figures and fillers removed.
    items: the question adds up or compares items, so an English "and" separates them."""
    s = q
    chars = list(s)
    for a, b in mentions.spans:
        for i in range(a, min(b, len(chars))):
            chars[i] = " "
    s = "".join(chars)
    s, kept = _protect_terms(s, orgs)
    if items and re.search(r"[a-z]{3,}", s, re.I):
        s = re.sub(r"\b(?:add(?:ed)? (?:up|together)|sum of|in total|combined|altogether|together|all told|respectively|"
                   r"each)\b", " ", s,
                   flags=re.I)
        s = re.sub(r"\s*(?:,\s*)?\band\b\s*|,\s+(?=[a-z§])", "、", s, flags=re.I)
    for c in orgs.cities:
        s = re.sub(rf"{re.escape(c)}(?:市)?(?:的)?(?:医保|医疗保障)(?!局|中心|基金|经办|事务|支出|缴费|补助|待遇)", " ", s)  # 漳州医保 = the body
        s = s.replace(c, " ")
        s = re.sub(rf"(?i)\b{re.escape(orgs.city_english[c])}(?:'s)?\b", " ", s)
    for place in mentions.unknown_places:
        s = s.replace(place, " ")
    s = re.sub(r"\b(?:in|of|from)(?:\s|the\b|its\b|their\b|'s\b|(?:19|20)\d\d\b)*(?:department(?:al)?|annual) "
               r"(?:budget|final accounts)\b",
               " ", s, flags=re.I)
    s = re.sub(r"\(?\bin (?:10,000|ten thousand) yuan\)?|\(?\bin yuan\)?|\bas printed\b", " ", s, flags=re.I)
    s = _FIGURE.sub(" ", s)
    s = _YEAR_EXPR.sub(" ", s)
    s = SHORT_YEAR.sub(" ", s)
    s = _RELATIVE.sub(" ", s)
    s = re.sub(r"[（(]\s*\d{3,7}\s*[)）]|(?<!\d)\d{3,7}(?!\d)", " ", s)
    s = re.sub(r"[（(]\s*(?:汇总|本级)\s*[)）]", " ", s)
    s = re.sub(r"[（(][^）)]*(?:推算|估算|计算|根据|按照)[^）)]*[)）]|"
               r"用\s*\S{0,12}?(?:文件|预算|决算)\S{0,4}(?:推算|推一下|推一推|倒推|算一下|算算)|"
               + DERIVED_BY, " ", s)
    s = re.sub(r"不(?:算|含|包括|计)[^\s)）,，的]{0,8}", " ", s)
    s = re.sub(r"\(?\b(?:excluding|not counting|except(?: for)?)\b[^()]{0,60}\)|"
               r"\b(?:excluding|not counting|except(?: for)?)\b(?: the| its)?(?: [a-z]+){0,4}?"
               r" (?:cent(?:er|re)|bureau|units?)\b|\bown[- ]level\b", " ", s, flags=re.I)
    s = re.sub(r"全市|深圳市|市(?=医保)|本市|我市|下属(?:的)?(?:[两二三四五六七八九十\d]+个)?", " ", s)
    s = re.sub(r"本级|汇总(?!一下|起来)", " ", s)
    # 预算数和决算数各多少 / budget and actual: both columns of one item are asked, 决算 is an item, not the scope
    s = re.sub(r"((?:年初|调整后?的?)?预算数?)(和|与|及|、|跟)(?:决算|实际支出|实际)数?", r"\1\2实际执行", s)
    s = re.sub(r"(?:决算|实际支出|实际)数?(和|与|及|、|跟)((?:年初|调整后?的?)?预算数?)", r"实际执行\1\2", s)
    s = re.sub(r"(?:得了|打了|评了|拿了|得)?(?:多少|几)分(?!之)", " 得分 ", s)      # 自评多少分 -> 得分
    s = re.sub(r"(?:多少|几)[个台家人名辆笔项次张套份宗件条户所位]", " ", s)
    s = re.sub(r"加起来|加在一起|合起来|相加|加总|汇总一下|汇总起来|之和|总和", " ", s)
    s = re.sub(r"(?<=[\u4e00-\u9fff])各(?=\s|$|是|为|有|安排|花|用|多少|自)", " ", s)     # A和B各多少
    s = re.sub(r"^(?:那么|那其中|那边|这边|[那这](?:里头|里面|里边)|那里|这里|那儿|那|其中|还有|另外)", " ", s.strip())
    s = re.sub(r"(?:(?<=[\u4e00-\u9fff\s])|^)(?:决算|实际)(?=\s|$|是|中|里|花|的|上|用|支出)", " ", s)
    s = re.sub(r"(?:^|(?<=\s))(?:部门)?预算(?:里|中|当中|之中)", " ", s)
    s = re.sub(r"(?:^|(?<=\s))(?:调整)?(?:预算|决算)数(?=\s|与|和|跟|比|相|$)", " ", s)   # 2020年决算数与2024年预算数
    s = re.sub(r"(?<=[费出])(?:预算|决算)数?(?=\s|$|是|为|多少|有|安排|金额)", " ", s)   # 印刷费预算 -> 印刷费
    s = s.replace("占比", "占 比例")
    s = re.sub(r"占(?=\s*了?\s*(?:多少|几)(?:钱|万元|元|万))", " ", s)     # 其中X占多少钱: an amount, not a share
    s = re.sub(r"[“”\"「」『』‘’'？?！!。，,；;：:\[\]【】]", " ", s)
    s = s.replace("（", "(").replace("）", ")")
    for word in sorted(_FILLERS_ZH, key=len, reverse=True):
        if len(word) >= 2:
            s = s.replace(word, " ")
    s = re.sub(r"(?<![\u4e00-\u9fff])(?:的|了|是|吗|呢|在|有|里|中|要|还|给|几|市|把|看|它|那)(?![\u4e00-\u9fff])", " ", s)
    s = re.sub(r"(?<=[\u4e00-\u9fff])(?:的|了|吗|呢)(?=[\u4e00-\u9fff]|\s|$)", " ", s)
    s = re.sub(r"(?:^|(?<=\s))(?:的|了|是|把|给)(?=[\u4e00-\u9fff])", " ", s)
    if re.search(r"[a-z]{3,}", s, re.I):
        s = _ORG_WORDS_EN.sub(" ", s)
    s = _TOPIC_STRIP_EN.sub(" ", s)
    s = re.sub(r"\(\s*\)", " ", s)
    if re.search(r"[a-z]{3,}", s, re.I) and not re.search(r"\b(?:share|percent(?:age)?|proportion|fraction|ratio)\b",
                                                           s, re.I):   # "budget" names the document, not an item
        rest = re.sub(r"(?<!of )(?<!of the )(?<!of its )\b(?:budget(?:s|ed|ing)?|final accounts?)\b", " ", s, flags=re.I)
        if rest != s and re.sub(r"\b(?:of|in|on|to|is|as|than|for|total|overall)\b|[\s()]", "", rest, flags=re.I):
            s = rest
    s = _EDGE_WORDS_EN.sub(" ", s)
    if re.sub(r"[\s的]|(?:预算|决算)数?$", "", s.strip()):
        s = re.sub(r"(?:的)?\s*(?:预算|决算)数?\s*$", " ", s.strip())   # 买新车的预算: the kind, not the item
    for token, phrase in kept.items():
        s = s.replace(token, f" {phrase} ")
    return re.sub(r"\s+", " ", s).strip()


_EDGE_WORDS_EN = re.compile(r"^(?:\s*\b(?:is|are|was|were|of|in|on|at|for|to|the|its|their|by|from|with|as|and|does|do|"
                            r"did)\b)+|(?:\b(?:is|are|was|were|of|in|on|at|for|to|the|its|their|by|from|with|as|and|"
                            r"does|do|did)\b\s*)+$", re.I)     # what an English question leaves at a topic's edges


def _protect_terms(s: str, orgs: OrgDirectory) -> tuple[str, dict[str, str]]:
    """English glossary phrases ("urban and rural medical assistance") survive the stripping of
    filler and org words: they are set aside as tokens and put back at the end."""
    if not re.search(r"[a-z]{3,}", s, re.I) or getattr(orgs, "glossary", None) is None:
        return s, {}
    low = s.lower()
    if len(low) != len(s):
        return s, {}
    kept: dict[str, str] = {}
    for i, m in reversed(list(enumerate(orgs.glossary.find(low, ("term",))))):
        if not re.search(r"[a-z]", m.text) or len(m.text) <= 3 or _TOPIC_STRIP_EN.fullmatch(m.text) \
                or not _ORG_WORDS_EN.sub(" ", m.text).strip() \
                or re.fullmatch(r"(?:department(?:al)? |annual )?(?:budget(?:s|ed)?|final accounts?)", m.text):
            continue              # "it" is a pronoun here, not IT; "healthcare security" names the org
        token = f"§k{i}k§"
        kept[token] = m.text
        s = s[:m.start] + f" {token} " + s[m.end:]
    return s, kept


# "水费电费各是多少": two item names written back to back, each ending in 费, with no mark between them
_BACK_TO_BACK = re.compile(r"(?<=[\u4e00-\u9fff]费)(?![和与及跟或、])"
                           r"(?=[\u4e00-\u9fff]{1,8}?费(?:各|分别|都|加|一共|合计|总共|是|为|多少|呢|[？?，,\s]|$))")


def mark_enumeration(question: str) -> str:
    """水费电费各是多少 -> 水费、电费各是多少 (the mark a list of items would carry)."""
    return _BACK_TO_BACK.sub("、", question)


def is_total_topic(topic: str) -> bool:
    t = re.sub(r"[\s'’、()（）]+", "", topic)
    t = re.sub(r"(?<=[\u4e00-\u9fff])(?:的|里|中|了|是|在)|^(?:的|里|中|了|是|在)", "", t)
    if re.search(r"年初|全年", t):
        if not _TOTAL_MARKERS.search(t):
            return False
        t = re.sub(r"年初|全年", "", t)
    return not t or bool(TOTAL_WORDS.match(t)) or bool(re.fullmatch(r"(?:部门)?(?:预算|决算)?(?:总额|规模|总数)?", t))
