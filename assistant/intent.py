"""What the question wants done: lookup, sum, difference, change, ratio, per-unit, comparison,
breakdown, remaining (budget minus execution), or a refusal cue (pure functions)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.text import nfkc
from assistant.changewords import CHANGE_WORDS, CUT, CUT_RAISE_EN, DERIVED_BY, RAISE

LOOKUP, SUM, DIFFERENCE, RATIO, TIMES, PER_UNIT, COMPARE, REMAINING, BREAKDOWN, CHANGE, LIST = (
    "lookup", "sum", "difference", "ratio", "times", "per_unit", "compare", "remaining", "breakdown", "change", "list")

_SUM = re.compile(r"加起来|汇总一下|汇总起来|加在一起|合起来|合计|总和|之和|相加|加总|一共|总共|共计|in total|add(?:ed)? up|combined|sum of|together|"
                  r"\bthe total of\b|altogether", re.I)
_ENUM = re.compile(r"[、/+]|和|与|及|以及|跟|加上|\band\b|\bplus\b|&", re.I)
_RATIO = re.compile(r"占(?:了)?(?:.{0,12}?)(?:比例|比重|百分之|多少|几成|%)|比重|比例|占比|百分之(?:多少|几)|几成|相当于.{0,16}百分之|"
                    r"what share|what percentage|what percent|share of|proportion|percentage of|how many percent|占", re.I)
# a change stated as a percentage: (new - old) / old, never new / old
_PCT_CHANGE = re.compile(r"(?:增长|增加|下降|减少|降低|提高|上升|下滑|涨|降|升|多了|少了|变化|变动|增幅|降幅|"
                         rf"{CUT}|{RAISE}|{CUT_RAISE_EN}|"
                         r"grow|grew|growth|increase|decrease|rise|rose|fall|fell|drop|decline|change|up|down)"
                         r"[^，,。？?]{0,10}?(?:百分之|%|％|percent|几成|百分比|幅度)|"
                         r"(?:增幅|降幅|增长率|增速|下降率|变化率|growth rate|rate of (?:increase|change|decline)|"
                         r"percent(?:age)? (?:change|increase|decrease|rise|growth|drop|fall)|"
                         r"\bpercent(?:age)?\b[^?.;]{0,120}?\b(?:increase|decrease|rise|rose|grow|grew|fall|fell|drop|change|"
                         rf"decline|go up|go down|went up|went down|{CUT_RAISE_EN})\w*)", re.I)
_TIMES = re.compile(r"几倍|多少倍|倍数|how many times|times (?:as|larger|bigger|more)|times the", re.I)
_PER_UNIT = re.compile(r"每台|每人|人均|每个|每家|每辆|平均每|平均一|average per|on average|"
                       r"\bper (?:[\w-]+ )?(?:capita|person|unit|device|head|machine|terminal|kiosk|vehicle|car|employee|"
                       r"staff member|member of staff)s?\b", re.I)
_COMPARE = re.compile(r"哪(?:个|家|一个|一家|项|个单位|个部门|年)[^？?。]{0,12}(?:最?多|最?高|最?大|最?少|最?低|最?小)|"
                      r"谁(?:的)?[^？?。]{0,8}(?:多|高|大|少|低)|最高|最多|最大|最低|最少|"
                      r"\bwhich\b[^?]{0,80}\b(?:highest|most|largest|biggest|lowest|least|smallest|more|less|larger|higher|"
                      r"bigger|greater|smaller|lower)\b|"
                      r"\bcompare\b", re.I)
_DIFF = re.compile(rf"比[^，,。？?]{{0,40}}?(?:多|少|高|低|增加|减少|增长|下降|降|涨|升|大|小|节约|超|{CUT}|{RAISE})|"
                   r"相差|差额|差多少|差了|差距|"
                   rf"(?:{CHANGE_WORDS}|涨|降)了?(?:多少|几)|"
                   r"有变化|变化|变动|增减|"
                   r"how much (?:more|less|larger|smaller|higher|lower|bigger|greater)|difference|"
                   r"(?:more|less|larger|smaller|higher|lower|bigger|greater) than|by how much|exceeds?|outstrips?|surpass(?:es)?|"
                   r"increase|decrease|change(?:d)?|grew|fell|dropped|went (?:up|down)|"
                   r"\bdid\b[^?]{0,100}\b(?:drop|fall|rise|grow|shrink|decline|go (?:up|down))\b", re.I)
_BY_HOW_MUCH = re.compile(r"by how much|how much (?:more|less|bigger|larger|higher|lower)|(?:多|高|少|差|大)(?:了|出)?多少", re.I)
_REMAINING = re.compile(r"还剩|剩下|剩余|没用掉|没用完|未用完|没执行|未执行|没花掉|没花完|没花|结余了?多少|节余|"
                        r"unspent|left over|remain(?:ing|ed)? unspent|not (?:yet )?(?:spent|executed|used)", re.I)
_BREAKDOWN = re.compile(r"基本支出还是项目支出|项目支出还是基本支出|算基本支出|算项目支出|属于基本支出|属于项目支出|"
                        r"从哪来|从哪里来|来源|哪个单位|哪家单位|由谁|哪部分|怎么构成|构成|组成|"
                        r"basic or project|project or basic|where does .* come from|which unit|source of", re.I)
_PERSON_PAY = re.compile(r"(?:市长|局长|副局长|主任|书记|处长|科长|部长|厅长|领导|他|她|某人|个人|本人|mayor|director|chief|"
                         r"head of|his|her)[^？?。]{0,16}(?:工资|薪酬|薪水|收入|年薪|月薪|待遇|salary|pay|income|earn)|"
                         r"(?:工资|薪酬|薪水|年薪|月薪|salary|pay)[^？?。]{0,10}(?:市长|局长|主任|书记|mayor|director)|"
                         r"\b(?:salary|salaries|pay|paid|earn|earns|income|wage|compensation)\b[^?]{0,24}\b(?:the )?"
                         r"(?:head|director|chief|boss|leader|mayor|chairman|secretary|minister|commissioner|manager)\b|"
                         r"\b(?:head|director|chief|boss|leader|mayor|chairman|commissioner|manager)(?:'s)?\b[^?]{0,40}"
                         r"\b(?:salary|pay|paid|earn|earns|income|wage|compensation)\b|"
                         r"(?:某个?|一个|每个|个人|具体某)(?:人|员工|公务员|职工)[^？?。]{0,8}(?:工资|薪酬|收入|年薪)", re.I)
_SECRET_CONTENT = re.compile(r"(?:具体|到底|究竟)?(?:是)?(?:做什么|干什么|干嘛|用途|用在|花在|内容|是什么项目|什么项目|"
                             r"哪些地方|明细|what (?:is|was) it for|what (?:does|did) it|spent on|used for|details)", re.I)
# "all the project performance-target tables", "每个项目绩效目标表": one row, taken from every sibling table
EVERY = re.compile(r"(?:所有|全部|各个?|每一?个|逐个)[^，,。？?]{0,16}?(?:表|项目)|"
                   r"\b(?:all|every|each)(?: of)?(?: the| its)?\b[^?.,;]{0,48}?\b(?:tables?|projects?|programmes?|programs?)\b",
                   re.I)
_TOTAL_ASKED = re.compile(r"\btotal\b|总额|总计", re.I)
_SECRET = re.compile(r"涉密|保密|机密|secret|classified|confidential", re.I)


@dataclass
class Intent:
    operation: str = LOOKUP
    wants_breakdown: bool = False       # 基本支出还是项目支出 / 钱从哪来
    person_pay: bool = False            # a named person's salary: never in budget documents
    secret_content: bool = False        # what a 涉密 project is for
    asks_content: bool = False          # what an item is for, its details (具体干什么 / 明细 / what is it for)
    percent: bool = False               # the answer is a percentage
    why: bool = False                   # asks for a reason (为什么 / why), not a figure
    descending: bool = True             # compare: highest (True) or lowest
    cues: list[str] = field(default_factory=list)
    every: bool = False                 # add up one row over every sibling table (all the project tables)


def parse_intent(question: str) -> Intent:
    q = re.sub(DERIVED_BY, " ", nfkc(question))
    it = Intent()
    it.person_pay = bool(_PERSON_PAY.search(q))
    it.asks_content = bool(_SECRET_CONTENT.search(q))
    it.secret_content = bool(_SECRET.search(q) and it.asks_content)
    it.wants_breakdown = bool(_BREAKDOWN.search(q))
    it.why = bool(re.search(r"为什么|为何|什么原因|原因是|why\b|what is the reason|reason for", q, re.I))
    if _REMAINING.search(q):
        it.operation = REMAINING
    elif _TIMES.search(q):
        it.operation = TIMES
    elif _PCT_CHANGE.search(q):
        it.operation = DIFFERENCE
        it.percent = True
    elif _RATIO.search(q) and not re.search(r"比上年|较上年", q) and _ratio_really(q):
        it.operation = RATIO
        it.percent = True
    elif _PER_UNIT.search(q) and not re.search(r"标准|standard|定额|补助额", q, re.I):   # 每人补助标准: a printed rate
        it.operation = PER_UNIT
    elif _COMPARE.search(q) and _BY_HOW_MUCH.search(q):
        it.operation = DIFFERENCE       # which is bigger, and by how much: the difference says both
    elif _COMPARE.search(q):
        it.operation = COMPARE
        it.descending = not re.search(r"最低|最少|最小|lowest|least|smallest", q, re.I)
    elif _DIFF.search(q):
        it.operation = DIFFERENCE
    elif (_SUM.search(q) or _TOTAL_ASKED.search(q)) and EVERY.search(q):
        it.operation = SUM
        it.every = True
    elif _SUM.search(q) and (_ENUM.search(_strip_org_like(q)) or re.search(r"各项|各个|每一项|all the items|each of", q)):
        it.operation = SUM
    elif re.search(r"分别|各[^，,。？?]{0,8}?(?:多少|几)|各自|各为|respectively|\beach\b", q, re.I) and \
            _ENUM.search(_strip_org_like(q)) or _BUDGET_AND_ACTUAL.search(q):
        it.operation = LIST             # 会议费和培训费分别是多少 / budget and actual: each figure
    return it


# both columns of one item asked: 预算数和决算数 (the English "budget and actual" is not handled yet)
_BUDGET_AND_ACTUAL = re.compile(r"预算数?(?:和|与|及|、|跟)(?:决算|实际)|(?:决算|实际)数?(?:和|与|及|、|跟)预算")


def _ratio_really(q: str) -> bool:
    """占 alone also appears in 占用 (国有资产占用) — not a share; 占多少钱 asks for the amount of the part."""
    if re.search(r"占(?:了)?(?:多少|几)(?:钱|万元|元|资金|经费)", q) and not re.search(r"比例|比重|百分之|占比|%", q):
        return False
    return bool(re.sub(r"占用|占有", "", q) != q and re.search(r"比例|比重|百分之|占比|%|share|percent|proportion", q, re.I)
                or re.search(r"占(?!用|有)", q) or re.search(r"比例|比重|百分之|几成|share|percent|proportion", q, re.I))


def _strip_org_like(q: str) -> str:
    """Remove parenthesised notes such as （汇总） and quoted names before looking for enumerations."""
    return re.sub(r"[（(][^）)]{0,8}[)）]", "", q)


def direction_word(q: str) -> str | None:
    """多/增加 (up) or 少/减少 (down) as asked, for wording the answer."""
    if re.search(rf"少|减少|下降|降低|低|节约|{CUT}|less|lower|smaller|decrease|fell|dropped|down|cut|slash|trimmed|"
                 r"reduced|shr[iau]nk|lowered", q, re.I):
        return "down"
    if re.search(r"多|增加|增长|提高|高|大|more|higher|larger|bigger|increase|grew|up", q, re.I):
        return "up"
    return None
