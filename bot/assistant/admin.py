"""What admins ask of a running bot, as text: stats, the live flows, what a reload changed."""

from __future__ import annotations

from bot.content.model import Library
from bot.storage.base import Stats


def stats_text(s: Stats) -> str:
    lines = [
        f"people: {s.people}",
        f"incidents: {s.incidents}",
        f"unknown notices: {s.unknown_notices}",
        "open by kind:",
    ]
    lines += [f"  {kind or '(none)'}: {n}" for kind, n in sorted(s.open_by_kind.items())] or [
        "  (none)"
    ]
    lines.append(f"kind choices (reader unsure, person picked): {sum(s.kind_picks.values())}")
    by_count = sorted(s.kind_picks.items(), key=lambda item: (-item[1], item[0]))
    for (offered, picked), n in by_count:
        best = offered.split(",")[0]
        note = "the reader's first guess" if picked == best else f"not {best}"
        lines.append(f"  {picked} ({note}; offered {offered.replace(',', ', ')}): {n}")
    lines.append(f"known phishing addresses: {s.feed_entries:,} in {s.feed_sources} list(s)")
    lines.append(f"marked campaigns: {s.marks_phishing} phishing, {s.marks_genuine} genuine")
    return "\n".join(lines)


def feedback_text(rows: list[tuple[str, int, int]]) -> str:
    """Each verdict people questioned: kind, verdict and reason codes, how often questioned
    and how often shown."""
    if not rows:
        return "No feedback yet."
    lines = ['"This looks wrong" on verdicts (kind verdict reasons: questioned / shown):']
    lines += [f"  {key}: {wrong} / {shown}" for key, wrong, shown in rows]
    return "\n".join(lines)


def flows_text(lib: Library) -> str:
    lines = [f"flows version {lib.version}", "walkthroughs:"]
    lines += [f"  {w.id} v{w.version} ({len(w.steps)} steps)" for w in lib.walkthroughs.values()]
    counts = f"drafts: {len(lib.drafts)}, providers: {len(lib.providers)}"
    lines.append(f"notice kinds: {len(lib.kinds)}, {counts}")
    return "\n".join(lines)


def describe_changes(old: Library, new: Library) -> str:
    """One line per kind of content that changed: +added -removed ~changed ids."""
    lines = []
    for label, a, b in (
        ("walkthroughs", old.walkthroughs, new.walkthroughs),
        ("notice kinds", old.kinds, new.kinds),
        ("drafts", old.drafts, new.drafts),
        ("providers", old.providers, new.providers),
    ):
        added = sorted(set(b) - set(a))
        removed = sorted(set(a) - set(b))
        changed = sorted(k for k in set(a) & set(b) if a[k] != b[k])
        if added or removed or changed:
            bits = (
                [f"+{x}" for x in added] + [f"-{x}" for x in removed] + [f"~{x}" for x in changed]
            )
            lines.append(f"{label}: {' '.join(bits)}")
    changed_texts = [k for k in new.texts if old.texts.get(k) != new.texts[k]]
    if changed_texts:
        lines.append(f"texts: {len(changed_texts)} changed")
    return "\n".join(lines) or "No changes."
