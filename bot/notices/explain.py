"""Say it plainly: the verdict and its reasons, what the notice means, and how to check it."""

from __future__ import annotations

from bot.content.model import EXPLANATION_PARTS, Library, Provider, fill
from bot.notices.analysis import Analysis
from bot.notices.domains import registrable

MAX_REASONS = 6
MAX_CHARS = 3000
# Confidence above which the kind is stated plainly rather than as a guess.
SURE_KIND = 0.55


class _Say:
    """Texts of one library in one language, filled."""

    def __init__(self, lib: Library, lang: str) -> None:
        self.lib = lib
        self.lang = lang
        self.bullet = lib.text("explain_bullet", lang)

    def __call__(self, key: str, **fields: object) -> str:
        return self.lib.text(key, self.lang, **fields)


def render_explanation(lib: Library, analysis: Analysis, lang: str) -> str:
    """The message the person reads: plain text in `lang`, a few short paragraphs."""
    a = analysis
    t = _Say(lib, lang)
    provider = lib.providers.get(a.provider) if a.provider else None
    pname = provider.names.get(lang) if provider else t("notice_someone")
    blocks: list[str] = [t(f"verdict_{a.verdict}", provider=pname)]
    # The evidence first; then, while there is room, what could not be checked.
    reasons = [r for r in a.reasons if r.weight != 0][:MAX_REASONS]
    reasons += [r for r in a.reasons if r.weight == 0][: max(0, MAX_REASONS - len(reasons))][:2]
    if reasons:
        blocks.append(
            t("explain_reasons") + "\n" + "\n".join(t.bullet + r.text.get(lang) for r in reasons)
        )
    blocks.append(_kind_block(t, a, pname))
    blocks.append(_found_block(t, a))
    glosses = ""
    if a.glosses:
        lines = [t("explain_glosses")]
        for g in a.glosses:
            lines.append(t("explain_gloss", quote=g.quote, text=g.text.get(lang)))
        glosses = "\n".join(lines)
    tail = _confirm_block(t, a, provider, pname)
    head = "\n\n".join(blocks)
    out = "\n\n".join(x for x in (head, glosses, tail) if x)
    if len(out) > MAX_CHARS and glosses:
        keep = glosses.split("\n")
        while len(keep) > 2 and len(out) > MAX_CHARS:
            keep.pop()
            out = "\n\n".join(x for x in (head, "\n".join(keep), tail) if x)
    return out


def _kind_block(t: _Say, a: Analysis, pname: str) -> str:
    """What kind of notice it is, and its plain explanation part by part."""
    kind = t.lib.kinds.get(a.kind)
    if kind is None:
        return t("explain_unknown_kind")
    key = "explain_kind" if a.confidence >= SURE_KIND else "explain_kind_maybe"
    lines = [t(key, title=kind.title.get(t.lang))]
    address = a.facts.get("account")
    fields = {
        "provider_name": pname,
        "account": t("notice_named_account", account=address)
        if address
        else t("notice_your_account"),
    }
    for part in EXPLANATION_PARTS:
        text = kind.explanation.get(part)
        if text is not None:
            lines.append(t.bullet + t(f"part_{part}") + fill(text.get(t.lang), fields))
    return "\n".join(lines)


def _found_block(t: _Say, a: Analysis) -> str:
    """What the notice itself says: what was restricted, what it asks, how to answer."""
    found: list[str] = []
    if a.restriction is not None:
        found.append(t.bullet + t("explain_restriction", what=a.restriction.get(t.lang)))
    if a.asks_for:
        asks = t("explain_list_separator").join(t(f"ask_{x}") for x in a.asks_for)
        found.append(t.bullet + t("explain_asks", asks=asks))
    found.append(t.bullet + t(f"channel_{a.reply_channel}"))
    if a.facts.get("account"):
        found.append(t.bullet + t("explain_account", account=a.facts["account"]))
    return t("explain_found") + "\n" + "\n".join(found)


def _confirm_block(t: _Say, a: Analysis, provider: Provider | None, pname: str) -> str:
    """How to check it without the notice's own links and numbers."""
    confirm = [t("explain_confirm")]
    if provider is not None:
        confirm.append(
            t.bullet + t("confirm_provider", provider=pname, domain=home_domain(provider, a))
        )
        phone = provider.channel("phone")
        form = provider.channel("web_form")
        if form is not None:
            confirm.append(t.bullet + t("confirm_form", url=form.value))
        if phone is not None:
            confirm.append(t.bullet + t("confirm_phone", phone=phone.value))
    else:
        confirm.append(t.bullet + t("confirm_generic"))
    official = {c.value for c in provider.channels} if provider else set()
    unknown_phones = [p for p in a.phones if p not in official]
    if unknown_phones:
        confirm.append(t.bullet + t("confirm_notice_phone", phones=", ".join(unknown_phones[:3])))
    if a.verdict == "likely_genuine":
        confirm.append(t("genuine_not_promise"))
    return "\n".join(confirm)


def home_domain(provider: Provider, a: Analysis) -> str:
    """Where to check: the provider's own domain the notice came from (its sender, else its
    official links), so that an order from amazon.com is checked there and not on amazon.co.jp.
    When the notice used none of them, its first domain; for a notice in English, its first
    domain outside Japan (amazon.com rather than amazon.co.jp), when it has one."""
    sender = a.sender.rpartition("@")[2].lower()
    used = [registrable(sender)] if sender else []
    used += [link.domain for link in a.links if link.official]
    found = next((d for d in used if d in provider.domains), None)
    if found is not None:
        return found
    abroad = [d for d in provider.domains if not d.endswith(".jp")]
    return abroad[0] if a.language == "en" and abroad else provider.domains[0]
