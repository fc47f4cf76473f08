"""The shipped kinds and providers, how kinds are checked, and the documentation of every key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli.yamlio import load_text
from bot.content.issues import Issue
from bot.content.kinds import (
    ASK_KEYS,
    GLOSS_KEYS,
    KIND_KEYS,
    RED_FLAG_KEYS,
    RESTRICTION_KEYS,
    SIGNAL_KEYS,
)
from bot.content.library import assemble
from bot.content.model import ASKS, EXPLANATION_PARTS, KIND_FACTS, Library
from bot.content.providers import CHANNEL_KEYS, PROVIDER_KEYS
from bot.notices.domains import registrable, to_ascii
from bot.notices.index import index_for

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "flows" / "README.md"


def test_every_kind_has_signals_in_both_languages_and_a_full_explanation(lib: Library) -> None:
    for kind in lib.kinds.values():
        if kind.common:
            assert not kind.signals
            continue
        langs = {s.lang for s in kind.signals}
        assert {"ja", "en"} <= langs, kind.id
        assert set(kind.explanation) == set(EXPLANATION_PARTS), kind.id
        assert kind.glosses, kind.id
        assert kind.walkthrough in lib.walkthroughs, kind.id


def test_the_story_kind_starts_the_story_walkthrough(lib: Library) -> None:
    assert lib.kinds["outbound_spam_restriction"].walkthrough == "mail_spam_block"
    assert lib.kinds["restriction_lifted"].replies_to == "mail_spam_block"


def test_every_ask_is_phrased_in_both_languages(lib: Library) -> None:
    common = [k for k in lib.kinds.values() if k.common]
    for ask in ASKS:
        langs = {a.lang for k in common for a in k.asks if a.ask == ask}
        assert {"ja", "en"} <= langs, ask


REQUIRED_PROVIDERS = {
    "dti",
    "ocn",
    "biglobe",
    "so-net",
    "nifty",
    "plala",
    "eo",
    "au",
    "docomo",
    "softbank",
    "yahoo_japan",
    "rakuten",
    "google",
    "microsoft",
    "yahoo",
    "apple",
    "amazon",
    "paypal",
    "comcast",
}


def test_the_directory_has_the_providers_people_hear_from(lib: Library) -> None:
    assert set(lib.providers) >= REQUIRED_PROVIDERS


def test_provider_domains_are_registrable_and_sourced(lib: Library) -> None:
    # A domain belongs to one provider. It is a registrable domain, or a host of its own below
    # another provider's registrable domain (bk.mufg.jp beside mufg.jp), which it then owns.
    seen: dict[str, str] = {}
    for p in lib.providers.values():
        for d in p.domains:
            assert d not in seen, (d, p.id, seen.get(d))
            seen[d] = p.id
    for p in lib.providers.values():
        assert p.sources and all(s.startswith("https://") for s in p.sources), p.id
        for d in p.domains:
            base = registrable(to_ascii(d))
            assert base == d or seen.get(base, p.id) != p.id, (p.id, d)
            assert index_for(lib).owner_of("www." + d) == p.id, (p.id, d)
        for c in p.channels:
            assert c.source.startswith("https://"), p.id


def kind_issues(body: str) -> list[Issue]:
    data, issues = load_text(body, "flows/kinds/test.yaml")
    assert not issues, issues
    issues = []
    assemble([("flows/kinds/test.yaml", data)], issues)
    return [i for i in issues if i.file == "flows/kinds/test.yaml"]


def test_kind_mistakes_are_reported_with_line_and_fix() -> None:
    found = kind_issues("""kind:
  id: broken
  title: {ja: こわれた, en: broken}
  walkthrough: unknown_notice
  facts: [acount]
  signals:
    - {pattern: 'a(b', weight: 2}
    - {pattern: 'x?', lang: ja}
  asks:
    - {ask: click_lnk, pattern: 'click here'}
  red_flags:
    - {code: shout, pattern: 'now', weight: 0, text: {ja: いそげ, en: hurry}}
  explanation:
    happened: {ja: "{acount} が", en: "{acount} was"}
""")
    text = "\n".join(map(str, found))
    assert "unknown fact 'acount'; did you mean 'account'?" in text
    assert "flows/kinds/test.yaml:7:" in text and "is not valid" in text
    assert "flows/kinds/test.yaml:8:" in text and "matches empty text" in text
    assert "unknown ask 'click_lnk'; did you mean 'click_link_login'?" in text
    assert "weight must be above 0" in text
    assert "unknown fact '{acount}'" in text


def test_a_common_kind_cannot_be_picked() -> None:
    found = kind_issues("""kind:
  id: shared
  common: true
  title: {ja: 共通, en: shared}
  signals: ['x']
  walkthrough: unknown_notice
""")
    assert sum("a common kind cannot have" in str(i) for i in found) == 2


def test_a_kind_without_signals_is_reported() -> None:
    found = kind_issues("kind:\n  id: empty\n  title: {ja: 空, en: empty}\n")
    assert any("has no signals" in str(i) for i in found)


def test_unknown_keys_get_a_did_you_mean() -> None:
    found = kind_issues("""kind:
  id: k
  title: {ja: k, en: k}
  signals: ['x']
  red_flag:
    - {code: a, pattern: 'b', text: {ja: c, en: d}}
""")
    assert any("unknown key 'red_flag'; did you mean 'red_flags'?" in str(i) for i in found)


# -- the documentation ------------------------------------------------------------------------


def test_every_key_is_documented_with_an_example() -> None:
    doc = README.read_text(encoding="utf-8")
    kinds_part, providers_part = doc.split("## Providers (`providers:`)")
    keys = {
        *KIND_KEYS,
        *SIGNAL_KEYS,
        *GLOSS_KEYS,
        *ASK_KEYS,
        *RESTRICTION_KEYS,
        *RED_FLAG_KEYS,
        *EXPLANATION_PARTS,
    }
    examples = "\n".join(re.findall(r"```yaml\n(.*?)```", kinds_part, re.S))
    for key in keys:
        assert f"`{key}`" in kinds_part, key
        assert re.search(rf"(^|[\s{{,]){key}:", examples, re.M), f"no example uses {key}"
    for name in (*ASKS, *KIND_FACTS):
        assert f"`{name}`" in kinds_part, name
    p_examples = "\n".join(re.findall(r"```yaml\n(.*?)```", providers_part, re.S))
    for key in (*PROVIDER_KEYS, *CHANNEL_KEYS):
        assert f"`{key}`" in providers_part, key
        assert re.search(rf"(^|[\s{{,]){key}:", p_examples, re.M), f"no example uses {key}"


@pytest.mark.parametrize(
    "block", re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
)
def test_every_example_in_the_documentation_is_valid_yaml(block: str) -> None:
    data, issues = load_text(block, "flows/README.md")
    assert data is not None and not issues


def test_the_full_examples_in_the_documentation_load(lib: Library) -> None:
    doc = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    whole = [b for b in blocks if b.startswith(("kind:", "providers:"))]
    assert len(whole) >= 3
    for i, block in enumerate(whole):
        data, _ = load_text(block, f"example{i}.yaml")
        issues: list[Issue] = []
        assemble([(f"example{i}.yaml", data)], issues)
        mine = [
            x
            for x in issues
            if x.file == f"example{i}.yaml" and "unknown walkthrough" not in x.what
        ]
        assert not mine, mine


def test_a_mailbox_domain_must_be_one_of_the_providers_domains() -> None:
    data, issues = load_text(
        """providers:
  - id: shop
    names: {ja: 店, en: Shop}
    category: shop
    domains: [shop.example]
    mailbox_domains: ["*.shop.example", freemail.example]
    sources: [https://shop.example/]
""",
        "flows/p.yaml",
    )
    assert not issues
    found: list[Issue] = []
    assemble([("flows/p.yaml", data)], found)
    mine = [str(i) for i in found if i.file == "flows/p.yaml"]
    assert mine == [
        "flows/p.yaml:6: provider 'shop': mailbox domain 'freemail.example' is not one of its "
        "domains; list it (or the domain it is under) in 'domains' too"
    ]


def test_a_host_carrying_a_brand_imitates_its_most_specific_official_domain(lib: Library) -> None:
    # smbc (the bank, smbc.co.jp) and smbc-card (the card, smbc-card.com) are both brand words;
    # the longer one says what the host imitates, whichever file the providers come from.
    idx = index_for(lib)
    look = idx.lookalikes.check("smbc-card-kakunin.com")
    assert look is not None and look.official == "smbc-card.com"


def test_a_host_below_another_providers_domain_is_named_by_its_own_labels(lib: Library) -> None:
    # jp-bank.japanpost.jp is the bank's, japanpost.jp the post's: "japanpost" inside a lure's
    # host names the post, not the bank, and the bank's own host belongs to the bank.
    idx = index_for(lib)
    assert "japanpost" in {b.word for b in idx.brands["japanpost"]}
    assert "japanpost" not in {b.word for b in idx.brands["japan_post_bank"]}
    assert idx.owner_of("www.jp-bank.japanpost.jp") == "japan_post_bank"
    assert idx.owner_of("trackings.post.japanpost.jp") == "japanpost"
    look = idx.lookalikes.check("japanpost-parcel.example")
    assert look is not None and look.official == "japanpost.jp"


def test_generic_parts_of_official_names_are_not_brands(lib: Library) -> None:
    # otp-auth.net and smbcgroup-point.jp are the card company's; "auth" and "point" are not.
    idx = index_for(lib)
    assert {"auth", "otp", "point", "finance", "group"}.isdisjoint(b.word for b in idx.all_brands)
    assert idx.lookalikes.check("auth.shop-point.example") is None


def test_a_host_level_domain_on_a_public_suffix_makes_no_brand_of_www(lib: Library) -> None:
    # www.gov.uk is the UK government's own name on the public suffix gov.uk: "www" is no brand,
    # while a department's own name (hmrc.gov.uk) is.
    idx = index_for(lib)
    assert idx.owner_of("www.gov.uk") == "gov_uk"
    assert idx.owner_of("www.tax.service.gov.uk") is None
    assert "www" not in {b.word for b in idx.all_brands}
    assert idx.lookalikes.check("www.parcel-news.example") is None
    look = idx.lookalikes.check("hmrc-refund.example")
    assert look is not None and look.official == "hmrc.gov.uk"
