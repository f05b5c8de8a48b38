"""Synthetic corpus for the benchmark: N raw work reports in the layouts the real sources use.

    harvest   the real sources through the pipeline once: paragraphs of the review,
              plan and self-building parts, the plan's numbered subsections, closing
              appeals, news items, and every 名词解释 entry             harvest
    plan      per report a place (level, parent), a year, a layout, the terms it
              defines (5–25 from the shared pool, popular ones more often, plus a few
              of its own) and terms it uses that others define        plan_reports
    write     the report as raw text in its layout                    write_pdf / write_web / write_listing

Layouts, as in sources/:

    pdf      title / meeting / speaker header, blank-line paragraphs, page breaks
             mid-sentence with `— 3 —` page numbers and a running header, spaces
             between Chinese and digits, ** markers, a 名词解释 block
    web      portal chrome (字体 / 字号 switch, toolbar, 分享, 来源, 时间), a footer
             with editor, related links and the title and opening repeated; some
             use ［n］ footnote markers and a 注释 block, some carry a junk string
    listing  several dated items between `-` lines: news items, and one report on
             a single line with half-width punctuation and an inline 名词解释

Everything is drawn from one seeded `random.Random`, so the same seed and N give
byte-identical files. Paragraphs keep their original wording; the source's own
place names and scope words (全市, 我省) are swapped for the synthetic place's.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from build_corpus.document.metadata import Place, gazetteer, level_of, places_overlay

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
JUNK = "侯卫东官场笔记"          # the injected string data/cleaning.yml lists
MATERIAL_VERSION = 4            # bump when harvest() changes what it keeps

# Placeholders written into harvested paragraphs for the source's own place (private-use
# characters: never in real text), filled with the synthetic report's place.
PLACE_FULL, PLACE_SHORT, SCOPE = "\ue000", "\ue001", "\ue002"

# Real county-level divisions (and a few prefecture-level cities), by the city they belong to.
# Used with build_corpus/data/places.yml; levels come from the name's suffix.
EXTRA_PLACES = """
杭州市: 萧山区 余杭区 富阳区 临安区 桐庐县 淳安县 建德市
宁波市: 海曙区 江北区 北仑区 镇海区 鄞州区 奉化区 象山县 宁海县 余姚市 慈溪市
温州市: 鹿城区 龙湾区 瓯海区 洞头区 永嘉县 平阳县 苍南县 文成县 泰顺县 瑞安市 乐清市 龙港市
金华市: 婺城区 金东区 武义县 浦江县 磐安县 兰溪市 义乌市 东阳市 永康市
衢州市: 柯城区 衢江区 常山县 开化县 龙游县 江山市
舟山市: 定海区 普陀区 岱山县 嵊泗县
台州市: 椒江区 黄岩区 路桥区 三门县 天台县 仙居县 温岭市 临海市 玉环市
丽水市: 莲都区 青田县 缙云县 遂昌县 松阳县 云和县 庆元县 景宁畲族自治县 龙泉市
苏州市: 姑苏区 吴中区 相城区 吴江区 昆山市 常熟市 张家港市 太仓市
无锡市: 梁溪区 锡山区 惠山区 滨湖区 新吴区 江阴市 宜兴市
常州市: 天宁区 钟楼区 新北区 武进区 金坛区 溧阳市
南通市: 崇川区 通州区 海门区 如东县 启东市 如皋市 海安市
扬州市: 广陵区 邗江区 江都区 宝应县 仪征市 高邮市
泰州市: 兴化市 靖江市 泰兴市
镇江市: 京口区 润州区 丹徒区 丹阳市 扬中市 句容市
盐城市: 响水县 滨海县 阜宁县 射阳县 建湖县 东台市
徐州市: 丰县 沛县 睢宁县 新沂市 邳州市
青岛市: 黄岛区 即墨区 胶州市 平度市 莱西市
烟台市: 蓬莱区 龙口市 莱阳市 莱州市 招远市 栖霞市 海阳市
潍坊市: 临朐县 昌乐县 青州市 诸城市 寿光市 安丘市 高密市 昌邑市
济宁市: 微山县 鱼台县 金乡县 嘉祥县 汶上县 泗水县 梁山县 曲阜市 邹城市
临沂市: 沂南县 郯城县 沂水县 兰陵县 费县 平邑县 莒南县 蒙阴县 临沭县
广州市: 番禺区 花都区 南沙区 从化区 增城区
佛山市: 禅城区 南海区 顺德区 三水区 高明区
惠州市: 惠阳区 博罗县 惠东县 龙门县
江门市: 台山市 开平市 鹤山市 恩平市
泉州市: 惠安县 安溪县 永春县 德化县 石狮市 晋江市 南安市
福州市: 长乐区 闽侯县 连江县 罗源县 闽清县 永泰县 福清市
郑州市: 中牟县 巩义市 荥阳市 新密市 新郑市 登封市
长沙市: 长沙县 浏阳市 宁乡市
宜昌市: 远安县 兴山县 秭归县 宜都市 当阳市 枝江市
成都市: 双流区 郫都区 温江区 新津区 金堂县 大邑县 蒲江县 都江堰市 彭州市 邛崃市 崇州市 简阳市
合肥市: 长丰县 肥东县 肥西县 庐江县 巢湖市
南昌市: 南昌县 安义县 进贤县
石家庄市: 正定县 辛集市 晋州市 新乐市
西安市: 蓝田县 周至县
鄂尔多斯市: 东胜区 康巴什区 达拉特旗 准格尔旗 鄂托克旗 杭锦旗 乌审旗 伊金霍洛旗
呼伦贝尔市: 满洲里市 牙克石市 扎兰屯市
海南省: 三亚市 儋州市 琼海市 文昌市 万宁市 五指山市 东方市 定安县 屯昌县 澄迈县 临高县
"""
LEVEL_SUFFIXES = ("自治区", "自治县", "直辖市", "省", "市", "县", "区", "镇", "乡", "旗")
OFFICE = {"省": "省长", "自治区": "主席", "直辖市": "市长", "市": "市长", "县": "县长", "自治县": "县长",
          "区": "区长", "旗": "旗长", "镇": "镇长", "乡": "乡长", "自治州": "州长", "盟": "盟长", "地区": "行署专员"}
# The one character a report uses for its own government: 我代表市人民政府, 全县, 县政协.
SCOPE_CHAR = {"省": "省", "自治区": "自治区", "直辖市": "市", "市": "市", "县": "县", "自治县": "县",
              "区": "区", "旗": "旗", "镇": "镇", "乡": "乡", "自治州": "州", "盟": "盟", "地区": "地区"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
GIVEN = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
NEWSPAPERS = ("日报", "新闻网", "人民政府网", "发布", "融媒体中心")
VERBS = ("深入推进", "持续深化", "全面落实", "扎实开展", "加快推进", "巩固拓展", "大力实施", "认真落实")
TAILS = ("，取得明显成效", "，形成一批可复制可推广的经验", "", "，群众满意度持续提升", "，各项任务按计划推进", "")
OWN_TERM_WORDS = ("产业", "科创", "数字", "生态", "乡村", "共富", "平安", "文旅", "港航", "人才", "城乡", "民生",
                  "开放", "改革", "营商", "医养", "教育", "治水", "强村", "双招", "智造", "品质", "安居", "暖心")
OWN_TERM_SUFFIXES = ("工程", "行动", "计划", "战略", "体系", "机制", "模式", "攻坚", "计划", "专项")
NUMERALS = "一二三四五六七八九十"
PAGE_CHARS = 784                 # 28 lines of 28 characters: one page of a GB/T 9704 document
HALF_WIDTH = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"})
HAN = "\u4e00-\u9fff"


# --- places ------------------------------------------------------------------

def office_of(place: Place) -> str:
    return OFFICE.get(place.level, "市长")


def scope_of(place: Place) -> str:
    return SCOPE_CHAR.get(place.level, "市")


def short_of(name: str) -> str:
    level = level_of(name) or "市"
    if name.endswith("自治县"):
        return re.sub(r"(畲族|土家族|苗族|瑶族|彝族|回族|满族|蒙古族)?自治县$", "", name)
    return name[: -len(level)] if len(name) - len(level) >= 2 else name


# Reports a place has on average (each over 2017–2026): the 321 places above give 1,000 reports; a
# larger corpus takes more places from the gazetteer (county level and above) to keep the same density,
# as a collection grows by adding places (every place every year since 2000 is ~60,000 reports).
REPORTS_PER_PLACE = 3.2
GAZETTEER_LEVELS = frozenset({"市", "县", "区", "旗", "自治州", "盟", "地区"})


def places_for(n: int, rng: random.Random) -> list[Place]:
    """all_places() for up to ~1,000 reports; beyond, more divisions of the gazetteer (unambiguous names,
    with a parent), drawn in a fixed order, so that a place has ~REPORTS_PER_PLACE reports at any N."""
    places = all_places()
    wanted = max(len(places), -(-n // REPORTS_PER_PLACE))
    if wanted > len(places):
        known = {p.name for p in places}
        pool = sorted((p for p in gazetteer().values() if p.level in GAZETTEER_LEVELS and p.parent and p.name not in known
                       and len(p.name) >= 2), key=lambda p: p.name)
        extra = rng.sample(pool, min(len(pool), int(wanted) - len(places)))
        places += [Place(p.name, p.level, p.parent, short_of(p.name)) for p in sorted(extra, key=lambda p: p.name)]
    return places


def all_places() -> list[Place]:
    """places.yml (no 街道 or 特别行政区: they have no people's congress) plus EXTRA_PLACES."""
    places = {}
    for p in places_overlay().values():
        if p.level in ("街道", "特别行政区", "国家") or p.name == "台湾省" or p.now:   # (a former name: no new report comes from it)
            continue
        places[p.name] = Place(p.name, p.level, p.parent, p.short)
    for line in EXTRA_PLACES.strip().splitlines():
        parent, names = line.split(":")
        for name in names.split():
            places.setdefault(name, Place(name, level_of(name) or "市", parent.strip(), short_of(name)))
    return sorted(places.values(), key=lambda p: p.name)


# --- harvest -----------------------------------------------------------------

@dataclass
class Material:
    review: list[str] = field(default_factory=list)          # paragraphs of 工作回顾 parts
    plan: list[list] = field(default_factory=list)            # [subsection title, [paragraphs]]
    plan_loose: list[str] = field(default_factory=list)       # plan paragraphs outside subsections
    self_building: list[str] = field(default_factory=list)    # 加强政府自身建设
    closings: list[str] = field(default_factory=list)         # 各位代表！…
    glossary: list[list[str]] = field(default_factory=list)   # [term as written, definition]
    news: list[list] = field(default_factory=list)            # [title, [paragraphs]]


def harvest(sources: Path = SOURCES) -> Material:
    """Paragraphs and glossary entries of the real sources, cached in the temp folder by content hash."""
    paths = sorted(p for p in sources.glob("*.txt"))
    digest = hashlib.sha256(str(MATERIAL_VERSION).encode())
    for p in paths:
        digest.update(p.name.encode() + p.read_bytes())
    cache = Path(tempfile.gettempdir()) / f"build-corpus-bench-material-{digest.hexdigest()[:16]}.json"
    if cache.exists():
        return Material(**json.loads(cache.read_text(encoding="utf-8")))
    material = _harvest(paths)
    cache.write_text(json.dumps(asdict(material), ensure_ascii=False), encoding="utf-8")
    return material


def _neutral(text: str, place: str, level: str, min_chars: int = 20) -> str | None:
    """The paragraph with its report's own place and scope word as placeholders; None when unusable."""
    from build_corpus.document.metadata import strip_level
    if not min_chars <= len(text) <= 1500 or text.startswith("各位代表"):
        return None
    if place:
        text = text.replace(place, PLACE_FULL).replace(strip_level(place), PLACE_SHORT)
    return re.sub(rf"(?<=[全我本]){re.escape(SCOPE_CHAR.get(level, level))}", SCOPE, text)


def _harvest(paths: list[Path]) -> Material:
    from build_corpus.document.metadata import strip_level
    from build_corpus.pipeline import build_corpus
    corpus = build_corpus(paths, ROOT)
    m = Material()
    seen_glossary = set()
    for doc in corpus.reports:
        place, level = doc.meta.place or "", doc.meta.level or "市"

        def texts(section, place=place, level=level) -> list[str]:
            out = [_neutral(p.text, place, level) for p in section.paragraphs]
            for sub in section.sections:
                out.extend(texts(sub))
            return [t for t in out if t]

        for i, section in enumerate(doc.sections):
            title = section.title
            if "自身建设" in title:
                m.self_building.extend(texts(section))
            elif i == 0 or re.search("回顾|成绩|成就", title):
                m.review.extend(texts(section))
            else:
                m.plan_loose.extend(t for t in (_neutral(p.text, place, level) for p in section.paragraphs) if t)
                for sub in section.sections:
                    paras = texts(sub)
                    if paras and len(sub.title) <= 40:
                        m.plan.append([_neutral(sub.title, place, level, min_chars=1) or sub.title, paras])
        last = next((s for s in reversed(list(doc.all_sections())) if s.paragraphs), None)
        for p in (last.paragraphs if last else []) + doc.preamble:
            if p.text.startswith("各位代表！") or p.text.startswith("各位代表!"):
                closing = p.text.replace(place, PLACE_FULL).replace(strip_level(place), PLACE_SHORT) if place else p.text
                m.closings.append(closing)
        for e in doc.glossary:
            pair = (e.term.strip(), e.definition.strip())
            if pair[0] and pair[1] and pair not in seen_glossary and len(pair[0]) <= 30 and "\n" not in pair[1]:
                seen_glossary.add(pair)
                m.glossary.append(list(pair))
    for doc in corpus.others:
        lines = [line for line in doc.text.split("\n") if len(line) >= 20]
        if doc.title and lines:
            m.news.append([re.sub(r"^(【[^】]{1,20}】)+", "", doc.title), lines])
    if not m.closings:
        m.closings.append("各位代表！让我们更加紧密地团结在以习近平同志为核心的党中央周围，开拓创新、勇毅前行，为奋力谱写中国式现代化新篇章而努力奋斗！")
    return m


# --- planning ----------------------------------------------------------------

@dataclass
class Plan:
    file: str
    layout: str                       # pdf | web | listing
    place: Place
    year: int
    speaker: str
    defines: list[list[str]]          # [term as written, definition]
    uses: list[str]                   # terms defined elsewhere, used in the body
    footnotes: bool = False           # web layout with ［n］ markers
    junk: bool = False


def weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items, heavier ones more likely (Efraimidis–Spirakis)."""
    keyed = sorted(range(len(items)), key=lambda i: -rng.random() ** (1 / weights[i]))
    return [items[i] for i in keyed[:k]]


def own_terms(rng: random.Random, place: Place, k: int) -> list[list[str]]:
    out = []
    for _ in range(k):
        n = rng.randint(2, 9)
        words = rng.sample(OWN_TERM_WORDS, 3)
        term = f"“{NUMERALS[n - 1]}{words[0][0]}{words[1][0]}”{rng.choice(OWN_TERM_SUFFIXES)}"
        if rng.random() < 0.3:
            term = f"{place.short}{term}"
        items = [f"{rng.choice(OWN_TERM_WORDS)}{rng.choice(('提升', '融合', '攻坚', '共建', '赋能', '保障'))}"
                 for _ in range(n)]
        out.append([term, f"{'、'.join(items)}{rng.choice(('等方面的重点任务', '', '一体推进的工作机制', '专项行动'))}。"])
    return out


def plan_reports(n: int, material: Material, seed: int) -> list[Plan]:
    rng = random.Random(seed)
    places = places_for(n, random.Random(f"{seed}:places"))
    pairs = [(p, y) for p in places for y in range(2017, 2027)]
    chosen = rng.sample(pairs, n) if n <= len(pairs) else [rng.choice(pairs) for _ in range(n)]
    pool = list(material.glossary)
    rng.shuffle(pool)   # popularity order: a few terms in many reports, most in few (as 五水共治 vs the rest)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(pool))]
    plans = []
    for i, (place, year) in enumerate(chosen):
        layout = rng.choices(("pdf", "web", "listing"), weights=(4, 4, 2))[0]
        shared = weighted_sample(rng, pool, weights, min(len(pool), rng.randint(5, 25)))
        mine = own_terms(rng, place, rng.randint(0, 4))
        defined = {t for t, _ in shared}
        uses = [t for t, _ in weighted_sample(rng, pool, weights, min(len(pool), 12)) if t not in defined][: rng.randint(2, 8)]
        speaker = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        plans.append(Plan(f"{year}_{i:05d}_{layout}.txt", layout, place, year, speaker, shared + mine, uses,
                          footnotes=layout == "web" and rng.random() < 0.3,
                          junk=layout != "pdf" and rng.random() < 0.4))
    return plans


# --- the report's content, before layout -------------------------------------

@dataclass
class Block:
    kind: str                 # heading1 | heading2 | para
    text: str
    number: str = ""          # 一、 / （一）


def compose(plan: Plan, material: Material, rng: random.Random, target_chars: int) -> tuple[list[Block], dict[str, int]]:
    """Headings and paragraphs of one report; returns the blocks and each defined term's footnote number."""
    place, year = plan.place, plan.year

    def fill(text: str) -> str:
        return text.replace(PLACE_FULL, place.name).replace(PLACE_SHORT, place.short).replace(SCOPE, scope_of(place))

    def take(pool: list[str], chars: int) -> list[str]:
        out, total = [], 0
        for text in rng.sample(pool, len(pool)):
            if total >= chars:
                break
            out.append(fill(text))
            total += len(text)
        return out

    blocks = [Block("para", f"现在，我代表{scope_of(place)}人民政府向大会报告工作，请予审议，并请"
                            + ("列席会议的同志提出意见。" if place.level in ("镇", "乡") else f"{scope_of(place)}政协委员和其他列席同志提出意见。"))]
    blocks.append(Block("heading1", f"{year - 1}年工作回顾", "一、"))
    blocks += [Block("para", t) for t in take(material.review, int(target_chars * 0.4))]
    blocks.append(Block("heading1", f"{year}年{rng.choice(('工作安排', '目标任务和重点工作', '主要工作', '重点工作'))}", "二、"))
    blocks += [Block("para", t) for t in take(material.plan_loose, int(target_chars * 0.05))]
    budget, k = int(target_chars * 0.4), 0
    for title, paras in rng.sample(material.plan, len(material.plan)):
        if budget <= 0 or k >= 10:
            break
        k += 1
        blocks.append(Block("heading2", fill(title), f"（{NUMERALS[k - 1]}）"))
        for text in paras[: rng.randint(1, 4)]:
            blocks.append(Block("para", fill(text)))
            budget -= len(text)
    blocks.append(Block("heading1", rng.choice(("加强政府自身建设", "切实加强政府自身建设", "全面加强政府自身建设")), "三、"))
    blocks += [Block("para", t) for t in take(material.self_building, int(target_chars * 0.1))]
    blocks.append(Block("para", fill(rng.choice(material.closings))))

    # Terms into the body: each defined term once to three times, each used term once.
    paras = [i for i, b in enumerate(blocks) if b.kind == "para" and i > 0 and not b.text.startswith("各位代表")]
    notes: dict[str, int] = {}
    mentions = [(t, True) for t, _ in plan.defines for _ in range(rng.randint(1, 3))] + [(t, False) for t in plan.uses]
    rng.shuffle(mentions)
    for term, defined in mentions:
        i = rng.choice(paras)
        written = term if term.startswith(("“", "「")) or "“" in term or rng.random() < 0.5 else f"“{term}”"
        marker = ""
        if plan.footnotes and defined and term not in notes:
            notes[term] = len(notes) + 1
            marker = f"［{notes[term]}］"
        sentence = f"{rng.choice(VERBS)}{written}{marker}{rng.choice(TAILS)}。"
        text = blocks[i].text
        ends = [m.end() for m in re.finditer("。", text)]
        at = rng.choice(ends) if ends else len(text)
        blocks[i].text = text[:at] + sentence + text[at:]
    if plan.junk:
        i = rng.choice(paras)
        text = blocks[i].text
        ends = [m.end() for m in re.finditer("。", text)] or [len(text)]
        at = rng.choice(ends)
        blocks[i].text = text[:at] + JUNK + text[at:]
    if plan.footnotes:   # the 注释 block follows the order of first mention
        plan.defines.sort(key=lambda e: notes.get(e[0], 10_000))
    return blocks, notes


def meeting_line(plan: Plan, rng: random.Random) -> str:
    session = rng.randint(1, 5)
    congress = rng.randint(12, 18)
    return (f"{plan.year}年{rng.randint(1, 2)}月{rng.randint(1, 28)}日在{plan.place.name}第{_cn(congress)}届"
            f"人民代表大会第{_cn(session)}次会议上")


def _cn(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    return "十" + (NUMERALS[n - 11] if n > 10 else "")


# --- layouts -----------------------------------------------------------------

def _spaced_numbers(text: str, rng: random.Random) -> str:
    """PDF extraction puts spaces around numbers between Chinese: 增长 2.6%，产值 380 亿元."""
    def space(m: re.Match) -> str:
        return f" {m.group(0)} " if rng.random() < 0.7 else m.group(0)
    return re.sub(rf"(?<=[{HAN}])[0-9][0-9.%]*(?=[{HAN}])", space, text)


def write_pdf(plan: Plan, blocks: list[Block], rng: random.Random) -> str:
    name = " ".join(plan.speaker) if len(plan.speaker) == 2 else plan.speaker
    lines = ["", "", "政府工作报告", "", meeting_line(plan, rng), "", f"{plan.place.name}{office_of(plan.place)} {name}", "", "各位代表：", ""]
    running = f"{plan.place.name}人民政府工作报告" if rng.random() < 0.5 else ""
    page, used = 1, 0
    body = [(b.number + b.text if b.kind != "para" else b.text, b.kind) for b in blocks]
    body += [("名词解释", "heading1")] + [(f"{t}：{d}", "para") for t, d in plan.defines]
    for text, kind in body:
        if kind == "para":
            text = _spaced_numbers(text, rng)
            if rng.random() < 0.15 and "。" in text[:60]:   # a bold lead sentence, as PDFs mark them
                cut = text.index("。") + 1
                text = f"**{text[:cut]}**{text[cut:]}"
        while used + len(text) > PAGE_CHARS:   # page break: the paragraph continues after the footer
            cut = max(1, PAGE_CHARS - used)
            lines += [text[:cut], "", f"— {page} —", ""]
            if running:
                lines += [running, ""]
            page += 1
            text, used = text[cut:], 0
        lines += [text, ""]
        used += len(text) + 28   # the rest of the last line is empty
    return "\n".join(lines)


def write_web(plan: Plan, blocks: list[Block], rng: random.Random) -> str:
    title = f"{plan.year}年{plan.place.name}人民政府工作报告"
    paper = plan.place.short + rng.choice(NEWSPAPERS)
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    if rng.random() < 0.5:
        head = [title, f"{plan.year}年{month:02d}月{day:02d}日 {rng.randint(7, 20):02d}时{rng.randint(0, 59):02d}分",
                "来源:", paper, "【字体：", "大", "中", "小", "】", "分享：", meeting_line(plan, rng),
                f"{plan.place.name}人民政府{office_of(plan.place)} {plan.speaker}"]
    else:
        head = ["下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】", title,
                "——" + meeting_line(plan, rng), f"来源：{paper}", f"时间：{plan.year}-{month:02d}-{day:02d}",
                f"{plan.place.name}人民政府{office_of(plan.place)} {plan.speaker}"]
    lines = head + ["各位代表："]
    lines += [b.number + b.text if b.kind != "para" else b.text for b in blocks]
    if plan.footnotes:
        lines.append("注释")
        for i, (t, d) in enumerate(plan.defines, 1):
            lines += [f"［{i}］{t}：", d]
    else:
        lines.append("名词解释")
        lines += [f"{i}.{t}：{d}" for i, (t, d) in enumerate(plan.defines, 1)]
    related = [f"{hashlib.md5(f'{plan.file}{i}'.encode()).hexdigest()}:" for i in range(3)]
    lines += ["责任编辑：", rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), "扫一扫在手机打开当前页",
              "相关附件>>", "相关链接>>", related[0], f"{plan.place.name}人民代表大会关于政府工作报告的决议",
              related[1], f"解读{plan.place.short}政府工作报告", "打印本页", "关闭窗口", title,
              "各位代表：现在，我代表" + scope_of(plan.place) + "人民政府，向大会报告工作，请予审议。"]
    return "\n".join(lines) + "\n"


def write_listing(plan: Plan, blocks: list[Block], rng: random.Random, material: Material) -> str:
    """A portal listing: news items and the report, one item on one line, between `-` lines."""
    parts = [meeting_line(plan, rng), plan.speaker, "各位代表：" + blocks[0].text]
    for b in blocks[1:]:
        if b.kind == "para":
            parts[-1] += b.text
        else:
            parts.append(f"{b.number}{b.text}")
    glossary = "名词解释" + (JUNK if plan.junk and rng.random() < 0.5 else "") + "".join(
        f"{i}.{t}：{d}" for i, (t, d) in enumerate(plan.defines, 1))
    report_line = (" ".join(parts) + " " + glossary).translate(HALF_WIDTH)
    city = plan.place.parent or plan.place.name
    month = rng.randint(1, 12)
    items = []
    for title, paras in rng.sample(material.news, min(len(material.news), rng.randint(2, 4))):
        items.append([f"【{city}招商】{title}", " ".join(paras).translate(HALF_WIDTH), f"{plan.year}-{month:02d}-{rng.randint(1, 28):02d}"])
    at = rng.randint(0, len(items))
    items.insert(at, [f"【投资{city}】{plan.year}年{plan.place.name}政府工作报告", report_line,
                      f"{plan.year}-{month:02d}-{rng.randint(1, 28):02d}"])
    lines = []
    for item in items:
        lines += ["-", *item]
    lines += ["有想补充的信息?点我投稿", "", "- 联系我们", "- 企业入驻"]
    return "\n".join(lines) + "\n"


# --- the corpus ----------------------------------------------------------------

def generate(n: int, out: Path, seed: int = 1, report_chars: int = 8_000, material: Material | None = None) -> list[dict]:
    """Write n raw report files into `out`; return their manifest (file, layout, place, level, year)."""
    material = material or harvest()
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for plan in plan_reports(n, material, seed):
        rng = random.Random(f"{seed}:{plan.file}")
        blocks, _ = compose(plan, material, rng, report_chars)
        if plan.layout == "pdf":
            text = write_pdf(plan, blocks, rng)
        elif plan.layout == "web":
            text = write_web(plan, blocks, rng)
        else:
            text = write_listing(plan, blocks, rng, material)
        (out / plan.file).write_text(text, encoding="utf-8")
        manifest.append({"file": plan.file, "layout": plan.layout, "place": plan.place.name,
                         "level": plan.place.level, "year": plan.year, "terms_defined": len(plan.defines)})
    return manifest


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(description="write N synthetic raw work reports")
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for row in generate(args.n, args.out, args.seed):
        print(json.dumps(row, ensure_ascii=False))
