"""Generate the synthetic customer-satisfaction survey samples shipped with csitool.

Run from the repository root::

    python sample_data/make_samples.py

This writes three files next to this script:

* ``survey.xlsx``      current wave (2026 Q3), 1,500 rows, Korean headers, seed 2026
* ``survey_prev.xlsx`` previous wave (2026 Q2), 1,400 rows, Korean headers, seed 2025
* ``survey_en.csv``    current wave, 600 rows, English headers, seed 7

Everything is driven by fixed seeds, so the data are identical on every run (the xlsx
files are byte-for-byte reproducible too). ``generate`` and ``write_xlsx`` can be imported
to build larger frames of the same shape, e.g. for benchmarks::

    from make_samples import generate, write_xlsx
    df = generate(1_000_000, seed=1)

The generating model (pain-points, wow-points, linear and low-impact attributes) and the
deliberately invalid cells are documented in ``sample_data/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any, Final, Literal, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Lang = Literal["ko", "en"]
Wave = Literal["current", "previous"]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]

# --------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------

ATTRIBUTES: Final = (
    "A1", "A2", "B1", "B2", "B3", "C1", "C2", "C3", "D1", "D2", "E1", "E2", "E3",
)  # fmt: skip

HEADERS: Final[dict[str, dict[str, str]]] = {
    "ko": {
        "id": "응답자ID",
        "date": "응답일자",
        "segment": "고객유형",
        "channel": "채널",
        "weight": "가중치",
        "nps": "추천의향",
        "overall": "전반적 만족도",
        "A1": "A1. 브랜드 평판",
        "A2": "A2. 안내 정보의 정확성",
        "B1": "B1. 첫 응대 친절",
        "B2": "B2. 대기 시간",
        "B3": "B3. 매장·화면 첫인상",
        "C1": "C1. 상품 품질",
        "C2": "C2. 가격 대비 가치",
        "C3": "C3. 상담 전문성",
        "D1": "D1. 결제 편의성",
        "D2": "D2. 배송 정확성",
        "E1": "E1. 문제 해결",
        "E2": "E2. 환불·교환 처리",
        "E3": "E3. 사후 연락",
        "repurchase": "재구매의향",
        "comment": "의견",
    },
    "en": {
        "id": "Respondent ID",
        "date": "Date",
        "segment": "Customer type",
        "channel": "Channel",
        "weight": "Weight",
        "nps": "How likely are you to recommend us to a friend or colleague? (0-10)",
        "overall": "Overall satisfaction",
        "A1": "A1. Brand reputation",
        "A2": "A2. Accuracy of information",
        "B1": "B1. Friendly first contact",
        "B2": "B2. Waiting time",
        "B3": "B3. First impression of store/screen",
        "C1": "C1. Product quality",
        "C2": "C2. Value for money",
        "C3": "C3. Advisor expertise",
        "D1": "D1. Ease of payment",
        "D2": "D2. Delivery accuracy",
        "E1": "E1. Problem resolution",
        "E2": "E2. Refunds and exchanges",
        "E3": "E3. Follow-up contact",
        "repurchase": "Repurchase intention",
        "comment": "Comments",
    },
}

SEGMENTS: Final = {"ko": ("VIP", "신규", "장기"), "en": ("VIP", "New", "Long-term")}
CHANNELS: Final = {
    "ko": ("웹", "앱", "콜센터", "매장"),
    "en": ("Web", "App", "Call centre", "Store"),
}
DONT_KNOW: Final = {"ko": "모름", "en": "Don't know"}
NOT_APPLICABLE: Final = {"ko": "해당 없음", "en": "N/A"}

# --------------------------------------------------------------------------------------
# Sample design
# --------------------------------------------------------------------------------------

SEGMENT_P: Final = np.array([0.15, 0.35, 0.50])
CHANNEL_P: Final = np.array([0.30, 0.30, 0.20, 0.20])
# Post-stratification targets (population shares); weight = target share / sample share.
SEGMENT_TARGET: Final = np.array([0.11, 0.40, 0.49])
CHANNEL_TARGET: Final = np.array([0.24, 0.34, 0.17, 0.25])
CELL_ADJUST: Final = np.array(
    [
        [1.00, 0.95, 1.05, 1.05],  # VIP
        [0.95, 1.30, 0.90, 1.00],  # new
        [1.00, 0.90, 1.10, 1.05],  # long-term
    ]
)
WAVE_DATES: Final[dict[str, tuple[str, str]]] = {
    "current": ("2026-07-01", "2026-09-30"),
    "previous": ("2026-04-01", "2026-06-30"),
}
WEEKDAY_P: Final = np.array([1.0, 1.0, 1.0, 1.0, 0.95, 0.6, 0.5])  # Mon..Sun response volume

# --------------------------------------------------------------------------------------
# Generating model (see README.md for the formulas)
# --------------------------------------------------------------------------------------

LOADING: Final = 0.45  # weight of the respondent's general attitude in every item
ITEM_CUTS: Final = np.array([-1.9, -1.15, -0.3, 0.75])  # latent -> 1..5
ITEM_MEAN: Final = np.array(
    #  A1    A2    B1     B2    B3    C1     C2    C3    D1    D2     E1     E2     E3
    [0.45, 0.15, 0.10, -0.45, 0.10, 0.20, -0.45, 0.00, 0.15, 0.55, -0.05, -0.25, -0.15]
)
# Previous wave: waiting time and refunds were clearly worse, everything else slightly.
PREVIOUS_SHIFT: Final = np.array(
    [-0.04, -0.04, -0.04, -0.24, -0.04, -0.04, -0.07, -0.04, -0.10, -0.04, -0.04, -0.20, -0.04]
)
SEGMENT_ATTITUDE: Final = np.array([0.12, -0.08, 0.0])  # VIP, new, long-term
CHANNEL_ATTITUDE: Final = np.array([0.0, 0.03, -0.06, 0.03])  # web, app, call centre, store

PAIN: Final = {"B2": 1.00, "E2": 1.10, "D1": 0.90}  # -P if score <= 2
WOW: Final = {"B1": 0.90, "C3": 1.00, "E3": 0.80}  # +R if score == 5
LINEAR: Final = {"C1": 0.35, "C2": 0.30, "E1": 0.30}  # b * (score - 3)
LOW: Final = {"A1": 0.05, "A2": 0.05, "B3": 0.05, "D2": 0.0}  # b * (score - 3)
SAT_NOISE_SD: Final = 1.0

# Calibrated once on a 2,000,000-row current-wave run (see README.md).
SAT_MEAN: Final = 0.773
SAT_SD: Final = 1.852
SAT_CUTS: Final = np.array([-1.791, -1.187, -0.651, 0.467])
NPS_RHO: Final = 0.75
SEGMENT_NPS: Final = np.array([0.12, -0.08, 0.0])
CHANNEL_NPS: Final = np.array([0.0, 0.0, -0.12, 0.0])
NPS_CUTS: Final = np.array(
    [-2.244, -2.084, -1.916, -1.703, -1.493, -1.079, -0.71, -0.309, 0.253, 0.746]
)
REPURCHASE_RHO: Final = 0.70
REPURCHASE_CUTS: Final = np.array([-1.764, -1.18, -0.466, 0.587])

COMMENT_BLANK_P: Final = np.array([0.30, 0.50, 0.40])  # detractor, passive, promoter
NON_ANSWER_P: Final = 0.05

# --------------------------------------------------------------------------------------
# Comment templates: per attribute (negative, positive), in both languages
# --------------------------------------------------------------------------------------

TOPIC_COMMENTS: Final[dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]]] = {
    "ko": {
        "A1": (
            ("이름값에 비해 실망스러웠습니다.", "예전만큼 믿음이 가는 브랜드는 아닌 것 같아요."),
            ("믿을 수 있는 브랜드라서 계속 이용합니다.", "평판이 좋아서 선택했는데 역시 만족해요."),
        ),
        "A2": (
            (
                "홈페이지 안내 정보가 실제와 달라서 헷갈렸어요.",
                "안내받은 내용과 실제 처리가 달랐습니다.",
            ),
            ("안내가 정확하고 이해하기 쉬웠어요.", "미리 받은 정보가 정확해서 좋았습니다."),
        ),
        "B1": (
            ("직원이 불친절해서 기분이 상했습니다.", "상담원 말투가 너무 퉁명스러웠어요."),
            (
                "직원분이 정말 친절하게 맞아주셨어요.",
                "상담원이 친절하게 응대해 주셔서 감사했습니다.",
                "직원 친절은 최고예요!",
            ),
        ),
        "B2": (
            (
                "대기 시간이 너무 길어요.",
                "전화 연결까지 대기시간이 30분 넘게 걸렸습니다.",
                "매장 대기시간이 길어서 그냥 나올 뻔했어요.",
            ),
            ("대기 시간 없이 바로 처리돼서 좋았어요.", "생각보다 빨리 연결됐어요."),
        ),
        "B3": (
            ("앱 화면이 복잡하고 자꾸 오류가 나요.", "웹사이트가 느리고 메뉴 찾기가 어렵습니다."),
            ("앱이 깔끔하고 쓰기 편해요.", "매장이 깨끗하고 분위기가 좋았어요."),
        ),
        "C1": (
            ("품질이 기대에 못 미쳤어요.", "받은 제품에 하자가 있었습니다."),
            ("상품 품질이 아주 좋습니다.", "품질이 좋아서 오래 쓸 수 있을 것 같아요."),
        ),
        "C2": (
            (
                "가격이 너무 비싸요.",
                "요금이 자꾸 올라서 부담됩니다.",
                "품질에 비해 가격이 비싼 편입니다.",
            ),
            ("가격 대비 만족스럽습니다.", "요금제가 합리적이에요."),
        ),
        "C3": (
            ("상담원이 내용을 잘 몰라서 여러 번 설명해야 했어요.", "직원마다 하는 말이 달라요."),
            (
                "상담원이 전문적으로 설명해 줘서 믿음이 갔어요.",
                "직원분이 제품을 잘 알고 딱 맞는 걸 추천해 주셨어요.",
            ),
        ),
        "D1": (
            ("결제 과정에서 오류가 나서 두 번 결제됐어요.", "결제 수단이 너무 제한적입니다."),
            ("결제가 간편해서 좋아요.", "간편결제가 돼서 편리했습니다."),
        ),
        "D2": (
            ("배송이 늦고 다른 물건이 왔어요.", "배송 예정일이 계속 바뀌었습니다."),
            ("배송이 빠르고 정확해요.", "주문한 그대로 배송이 잘 왔습니다."),
        ),
        "E1": (
            ("문의한 문제가 아직도 해결되지 않았습니다.", "같은 문제로 몇 번이나 연락해야 했어요."),
            ("문제를 한 번에 해결해 주셨어요.", "문제 해결이 빨라서 만족합니다."),
        ),
        "E2": (
            ("환불 처리가 너무 늦어요.", "교환 절차가 복잡하고 번거로웠습니다."),
            ("환불이 빠르게 처리돼서 좋았습니다.", "교환이 간단해서 편했어요."),
        ),
        "E3": (
            ("처리 후에 아무 연락이 없었어요.", "진행 상황을 알려주지 않아 답답했습니다."),
            (
                "나중에 따로 연락 주셔서 감동받았어요.",
                "사후 관리까지 꼼꼼하게 챙겨 주셔서 감사합니다.",
            ),
        ),
    },
    "en": {
        "A1": (
            (
                "Disappointing given the brand's reputation.",
                "The brand doesn't feel as trustworthy as it used to.",
            ),
            (
                "A brand I trust, so I keep coming back.",
                "Chose you for your good reputation and I'm happy I did.",
            ),
        ),
        "A2": (
            (
                "The information on the website didn't match reality.",
                "What I was told was different from what actually happened.",
            ),
            (
                "Information was accurate and easy to understand.",
                "The information I got beforehand was spot on.",
            ),
        ),
        "B1": (
            ("The staff were unfriendly and it put me off.", "The advisor sounded really curt."),
            (
                "The staff greeted me really warmly.",
                "The advisor was so friendly, thank you.",
                "Friendliest staff I've dealt with!",
            ),
        ),
        "B2": (
            (
                "Waiting time is far too long.",
                "It took over 30 minutes to get through on the phone.",
                "The queue in store was so long I almost left.",
            ),
            ("No waiting at all, sorted straight away.", "Got through quicker than expected."),
        ),
        "B3": (
            (
                "The app is cluttered and keeps crashing.",
                "The website is slow and the menus are hard to find.",
            ),
            ("The app is clean and easy to use.", "The store was clean with a nice atmosphere."),
        ),
        "C1": (
            ("Quality fell short of my expectations.", "The product I received was defective."),
            ("Product quality is excellent.", "Good quality, feels like it will last."),
        ),
        "C2": (
            (
                "Prices are too high.",
                "The fees keep going up and it's getting hard to afford.",
                "Pricey for what you get.",
            ),
            ("Good value for money.", "The price plan is reasonable."),
        ),
        "C3": (
            (
                "The advisor didn't know the product and I had to explain several times.",
                "Every member of staff tells you something different.",
            ),
            (
                "The advisor explained things expertly, very reassuring.",
                "The staff knew the products well and recommended exactly the right one.",
            ),
        ),
        "D1": (
            ("Payment failed and I was charged twice.", "Too few payment options."),
            ("Checkout is quick and easy.", "Handy that mobile payment works."),
        ),
        "D2": (
            ("Delivery was late and the wrong item arrived.", "The delivery date kept changing."),
            ("Delivery is fast and accurate.", "Everything arrived exactly as ordered."),
        ),
        "E1": (
            (
                "My issue still hasn't been resolved.",
                "I had to get in touch several times about the same problem.",
            ),
            ("My problem was fixed in one go.", "Quick resolution, very satisfied."),
        ),
        "E2": (
            ("Refunds take far too long.", "The exchange process was complicated and a hassle."),
            ("My refund was processed quickly.", "Exchanging an item was simple."),
        ),
        "E3": (
            ("Nobody got back to me afterwards.", "Frustrating that I wasn't kept updated."),
            (
                "They called me back afterwards to check, I was impressed.",
                "Thank you for the thorough after-care.",
            ),
        ),
    },
}

GENERIC_COMMENTS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "ko": {
        "negative": (
            "전반적으로 실망스럽습니다.",
            "다른 곳으로 옮길까 고민 중입니다.",
            "개선이 많이 필요해 보입니다.",
        ),
        "neutral": ("보통이에요.", "무난했습니다.", "그럭저럭 괜찮아요."),
        "positive": (
            "전반적으로 만족합니다.",
            "항상 잘 이용하고 있어요. 감사합니다!",
            "앞으로도 계속 이용할게요.",
        ),
        "none": ("없음", ".", "-", "특별히 없습니다."),
    },
    "en": {
        "negative": (
            "Disappointing overall.",
            "Thinking about switching to another provider.",
            "A lot needs to improve.",
        ),
        "neutral": ("It was OK.", "Nothing special.", "Fine, I suppose."),
        "positive": (
            "Very satisfied overall.",
            "Always a pleasure, thank you!",
            "I'll keep using you.",
        ),
        "none": ("No comment", ".", "-", "Nothing to add."),
    },
}

# --------------------------------------------------------------------------------------
# Deliberately invalid cells, as 0-based data-row indices for n = 1500.
# For other n the index k becomes k * n // 1500 (Excel row = index + 2).
# --------------------------------------------------------------------------------------

BASE_N: Final = 1500
INVALID_NPS_OUT_OF_RANGE: Final = ((211, 12),)  # (row, value)
INVALID_NPS_BLANK: Final = (87, 642, 1318)
INVALID_DONT_KNOW: Final = (("E2", 305), ("C3", 514), ("E2", 977), ("B2", 1120))
INVALID_NOT_APPLICABLE: Final = (("E3", 433), ("E3", 1266))
INVALID_OVERALL_BLANK: Final = (758,)
INVALID_WEIGHT_BLANK: Final = (869,)
INVALID_DUPLICATE_ID: Final = ((390, 1187),)  # (original row, later row repeating its ID)


def _scale(k: int, n: int) -> int:
    """Map a row index defined for ``BASE_N`` rows onto a frame with ``n`` rows."""
    return k * n // BASE_N


# --------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------


def _cut(latent: FloatArray, cuts: FloatArray, low: int) -> IntArray:
    """Ordinal categories ``low, low+1, ...`` from a latent variable and ascending cuts."""
    return np.searchsorted(cuts, latent).astype(np.int64) + low


def _satisfaction_effects(scores: IntArray) -> FloatArray:
    """Sum of the attribute effects on the overall-satisfaction latent (README formula)."""
    col = {a: scores[:, j] for j, a in enumerate(ATTRIBUTES)}
    total = np.zeros(scores.shape[0])
    for a, p in PAIN.items():
        total -= p * (col[a] <= 2)
    for a, r in WOW.items():
        total += r * (col[a] == 5)
    for a, b in (LINEAR | LOW).items():
        total += b * (col[a] - 3)
    return total


class _Draws(NamedTuple):
    """Numeric draws of one simulated wave (latents are kept for calibration)."""

    segment: IntArray
    channel: IntArray
    scores: IntArray  # (n, 13) attribute scores 1..5 in ATTRIBUTES order
    sat_latent: FloatArray
    overall: IntArray
    nps_latent: FloatArray
    nps: IntArray
    rep_latent: FloatArray
    repurchase: IntArray


def _simulate(n: int, rng: np.random.Generator, wave: Wave) -> _Draws:
    """Draw all numeric variables of one wave."""
    segment: IntArray = rng.choice(3, size=n, p=SEGMENT_P)
    channel: IntArray = rng.choice(4, size=n, p=CHANNEL_P)

    attitude = rng.standard_normal(n) + SEGMENT_ATTITUDE[segment] + CHANNEL_ATTITUDE[channel]
    item_mean = ITEM_MEAN + (PREVIOUS_SHIFT if wave == "previous" else 0.0)
    item_noise = rng.standard_normal((n, len(ATTRIBUTES)))
    item_latent = item_mean + LOADING * attitude[:, None] + np.sqrt(1 - LOADING**2) * item_noise
    scores = _cut(item_latent, ITEM_CUTS, 1)

    sat_latent = _satisfaction_effects(scores) + SAT_NOISE_SD * rng.standard_normal(n)
    sat_std = (sat_latent - SAT_MEAN) / SAT_SD
    overall = _cut(sat_std, SAT_CUTS, 1)

    nps_latent = (
        NPS_RHO * sat_std
        + np.sqrt(1 - NPS_RHO**2) * rng.standard_normal(n)
        + SEGMENT_NPS[segment]
        + CHANNEL_NPS[channel]
    )
    nps = _cut(nps_latent, NPS_CUTS, 0)

    rep_latent = REPURCHASE_RHO * sat_std + np.sqrt(1 - REPURCHASE_RHO**2) * rng.standard_normal(n)
    repurchase = _cut(rep_latent, REPURCHASE_CUTS, 1)

    return _Draws(
        segment=segment,
        channel=channel,
        scores=scores,
        sat_latent=sat_latent,
        overall=overall,
        nps_latent=nps_latent,
        nps=nps,
        rep_latent=rep_latent,
        repurchase=repurchase,
    )


def _weights(segment: IntArray, channel: IntArray) -> FloatArray:
    """Post-stratification weights by 고객유형 x 채널 cell, normalised to mean 1."""
    target = SEGMENT_TARGET[:, None] * CHANNEL_TARGET[None, :] * CELL_ADJUST
    target /= target.sum()
    cell = segment * 4 + channel
    counts = np.bincount(cell, minlength=12).astype(float)
    share = counts / counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        cell_weight = np.where(counts > 0, target.ravel() / share, 0.0)
    w = cell_weight[cell]
    rounded: FloatArray = np.round(w / w.mean(), 3)
    return rounded


def _dates(n: int, rng: np.random.Generator, wave: Wave) -> npt.NDArray[np.datetime64]:
    """Response dates inside the wave's quarter, fewer at weekends, in ascending order."""
    start, end = (np.datetime64(d, "D") for d in WAVE_DATES[wave])
    days = np.arange(start, end + 1)
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday (Mon = 0)
    p = WEEKDAY_P[weekday]
    picked = np.sort(rng.choice(len(days), size=n, p=p / p.sum()))
    return days[picked]


def _template_table(lang: Lang) -> tuple[ObjArray, IntArray, IntArray, dict[str, IntArray]]:
    """Flatten templates: array, per-(attribute, polarity) offsets and counts, generic ranges."""
    texts: list[str] = []
    offsets = np.zeros((len(ATTRIBUTES), 2), dtype=np.int64)
    counts = np.zeros((len(ATTRIBUTES), 2), dtype=np.int64)
    for j, a in enumerate(ATTRIBUTES):
        for pol, group in enumerate(TOPIC_COMMENTS[lang][a]):
            offsets[j, pol], counts[j, pol] = len(texts), len(group)
            texts.extend(group)
    generic: dict[str, IntArray] = {}
    for key, group in GENERIC_COMMENTS[lang].items():
        generic[key] = np.arange(len(texts), len(texts) + len(group))
        texts.extend(group)
    return np.array(texts, dtype=object), offsets, counts, generic


def _comments(
    scores: IntArray, overall: IntArray, nps: IntArray, rng: np.random.Generator, lang: Lang
) -> ObjArray:
    """Open comments consistent with the respondent's scores (None = left blank)."""
    n = scores.shape[0]
    texts, offsets, counts, generic = _template_table(lang)

    jitter = rng.random(scores.shape) * 0.5  # random tie-break between equal scores
    rows = np.arange(n)
    worst = np.argmin(scores + jitter, axis=1)
    best = np.argmax(scores - jitter, axis=1)
    worst_score, best_score = scores[rows, worst], scores[rows, best]

    def topic(attr: IntArray, pol: int) -> IntArray:
        u = rng.random(n)
        chosen: IntArray = offsets[attr, pol] + (u * counts[attr, pol]).astype(np.int64)
        return chosen

    def pick(key: str) -> IntArray:
        chosen: IntArray = rng.choice(generic[key], size=n)
        return chosen

    neg_idx, pos_idx = topic(worst, 0), topic(best, 1)
    gen_neg, gen_neu, gen_pos, gen_none = (
        pick("negative"), pick("neutral"), pick("positive"), pick("none"),
    )  # fmt: skip
    v = rng.random(n)

    mood = np.where(nps <= 6, 0, np.where(nps >= 9, 2, 1))  # detractor/passive/promoter
    detractor, passive, promoter = mood == 0, mood == 1, mood == 2
    unhappy = detractor | (overall <= 2)

    idx = np.full(n, -1, dtype=np.int64)
    idx = np.where(unhappy & (worst_score <= 3) & (v < 0.85), neg_idx, idx)
    idx = np.where(unhappy & (idx < 0), gen_neg, idx)
    happy = promoter & ~unhappy
    idx = np.where(happy & (best_score == 5) & (v < 0.80), pos_idx, idx)
    idx = np.where(happy & (idx < 0), gen_pos, idx)
    mixed = passive & ~unhappy & (worst_score <= 3) & (best_score >= 4) & (v < 0.45)
    neg_only = passive & ~unhappy & ~mixed & (worst_score <= 2) & (v < 0.75)
    idx = np.where(neg_only, neg_idx, idx)
    idx = np.where(idx < 0, gen_neu, idx)

    out: ObjArray = texts[idx]
    out[mixed] = texts[pos_idx[mixed]] + " " + texts[neg_idx[mixed]]
    non_answer = rng.random(n) < NON_ANSWER_P
    out[non_answer] = texts[gen_none[non_answer]]
    out[rng.random(n) < COMMENT_BLANK_P[mood]] = None
    return out


def generate(
    n: int, seed: int, lang: Lang = "ko", invalid: bool = True, wave: Wave = "current"
) -> pd.DataFrame:
    """Build a synthetic survey export with ``n`` respondents.

    Args:
        n: number of rows.
        seed: seed of the ``numpy.random.Generator``; same arguments give the same frame.
        lang: ``"ko"`` for Korean headers and labels, ``"en"`` for English ones.
        invalid: inject the documented invalid cells (out-of-range and blank 추천의향,
            "모름"/"해당 없음" texts, blank 전반적 만족도 and 가중치, one duplicated ID).
        wave: ``"current"`` (2026 Q3) or ``"previous"`` (2026 Q2, NPS about 7 points lower).

    Returns:
        A frame with the columns of ``HEADERS[lang]`` in order. Columns holding invalid
        cells have ``object`` dtype with Python ints, strings and ``None`` mixed.

    """
    if n < 1:
        raise ValueError("n must be positive")
    rng = np.random.default_rng(seed)
    sim = _simulate(n, rng, wave)
    segment, channel, scores = sim.segment, sim.channel, sim.scores
    dates = _dates(n, rng, wave)
    comments = _comments(scores, sim.overall, sim.nps, rng, lang)
    weights = _weights(segment, channel)

    width = max(5, len(str(n)))
    columns: dict[str, npt.NDArray[Any]] = {
        "id": np.array([f"R{i:0{width}d}" for i in range(1, n + 1)], dtype=object),
        "date": dates,
        "segment": np.array(SEGMENTS[lang], dtype=object)[segment],
        "channel": np.array(CHANNELS[lang], dtype=object)[channel],
        "weight": weights,
        "nps": sim.nps,
        "overall": sim.overall,
        **{a: scores[:, j] for j, a in enumerate(ATTRIBUTES)},
        "repurchase": sim.repurchase,
        "comment": comments,
    }
    if invalid:
        _inject_invalid(columns, n, lang)
    headers = HEADERS[lang]
    return pd.DataFrame({headers[key]: values for key, values in columns.items()})


def _inject_invalid(columns: dict[str, npt.NDArray[Any]], n: int, lang: Lang) -> None:
    """Overwrite the documented cells in place (positions scale with ``n``)."""

    def as_object(key: str) -> ObjArray:
        if columns[key].dtype != object:
            columns[key] = columns[key].astype(object)  # numpy ints -> Python ints
        return columns[key]

    for k, value in INVALID_NPS_OUT_OF_RANGE:
        as_object("nps")[_scale(k, n)] = value
    for k in INVALID_NPS_BLANK:
        as_object("nps")[_scale(k, n)] = None
    for attr, k in INVALID_DONT_KNOW:
        as_object(attr)[_scale(k, n)] = DONT_KNOW[lang]
    for attr, k in INVALID_NOT_APPLICABLE:
        as_object(attr)[_scale(k, n)] = NOT_APPLICABLE[lang]
    for k in INVALID_OVERALL_BLANK:
        as_object("overall")[_scale(k, n)] = None
    for k in INVALID_WEIGHT_BLANK:
        columns["weight"][_scale(k, n)] = np.nan
    for k_first, k_later in INVALID_DUPLICATE_ID:
        first, later = _scale(k_first, n), _scale(k_later, n)
        if first != later:
            columns["id"][later] = columns["id"][first]


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------

FIXED_TIMESTAMP: Final = dt.datetime(2026, 10, 1, 0, 0, 0)


def _cell_values(series: pd.Series) -> list[object]:
    """Python values for openpyxl: dates as ``datetime.date``, blanks as ``None``."""
    if pd.api.types.is_datetime64_any_dtype(series):
        values = series.dt.date.astype(object)
    else:
        values = series.astype(object)
    out: list[object] = values.where(series.notna(), None).tolist()
    return out


def write_xlsx(df: pd.DataFrame, path: str | Path, sheet_name: str = "응답") -> None:
    """Write ``df`` to a one-sheet xlsx file with openpyxl in write-only mode.

    Numbers stay numbers, dates become real Excel dates (``yyyy-mm-dd``) and blanks are
    left as empty cells. The file is byte-for-byte reproducible (fixed zip timestamps and
    document properties).
    """
    path = Path(path)
    wb = Workbook(write_only=True)
    wb.properties.creator = "csitool sample_data"
    wb.properties.created = FIXED_TIMESTAMP
    ws = wb.create_sheet(sheet_name)
    ws.freeze_panes = "B2"
    for i, name in enumerate(df.columns, start=1):
        width = min(max(10.0, 1.6 * len(str(name)) + 2), 40.0)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.column_dimensions[get_column_letter(df.shape[1])].width = 60.0

    bold = Font(bold=True)
    header = []
    for name in df.columns:
        cell = WriteOnlyCell(ws, value=str(name))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in zip(*(_cell_values(df[c]) for c in df.columns), strict=True):
        ws.append(row)
    wb.save(path)
    _make_reproducible(path)


def _make_reproducible(path: Path) -> None:
    """Replace the save-time timestamps openpyxl writes with ``FIXED_TIMESTAMP``."""
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>" + stamp.encode(),
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    """Write ``df`` as plain UTF-8 CSV (no BOM, comma separated, ISO dates)."""
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", date_format="%Y-%m-%d")


def main() -> None:
    """Regenerate the three sample files next to this script."""
    out = Path(__file__).resolve().parent
    write_xlsx(generate(1500, seed=2026, lang="ko"), out / "survey.xlsx")
    write_xlsx(generate(1400, seed=2025, lang="ko", wave="previous"), out / "survey_prev.xlsx")
    write_csv(generate(600, seed=7, lang="en"), out / "survey_en.csv")
    for name in ("survey.xlsx", "survey_prev.xlsx", "survey_en.csv"):
        print(f"wrote {out / name}")


if __name__ == "__main__":
    main()
