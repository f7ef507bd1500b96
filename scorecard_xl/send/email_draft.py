"""An email draft (.eml) carrying the email-ready copy, for Outlook or any mail program.

Built with Python's ``email`` package. ``X-Unsent: 1`` makes Outlook open the file as a draft
to send (with its To, Subject, body and attachments filled in) rather than as a received mail.
"""

from __future__ import annotations

import email.policy
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from ..compute.cells import single_line
from ..compute.months import month_label
from ..problems import WorkbookError

MIME_TYPES = {".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              ".pdf": ("application", "pdf")}


def check_addresses(addresses) -> list[str]:
    """The addresses as given; a WorkbookError names any that is not an email address."""
    checked, bad = [], []
    for address in addresses or []:
        _, mailbox = parseaddr(str(address))
        local, _, domain = mailbox.partition("@")
        if not local or "." not in domain or " " in mailbox:
            bad.append(str(address))
        checked.append(str(address).strip())
    if bad:
        raise WorkbookError(f"Not an email address: {', '.join(bad)}. Write addresses such as "
                            "head.of.service@example.gov.uk, separated by spaces. Nothing was sent or written.")
    return checked


def draft_subject(title: str, month: int) -> str:
    """One line, as a mail header must be (a line break in it would end the header)."""
    return f"{single_line(title)} \u2014 {month_label(month)}"


def _not_shown(rag: dict[str, int]) -> str:
    """', 2 not shown (c)' for the indicators whose RAG is withheld, so the counts add up."""
    hidden = {name: count for name, count in rag.items() if name.startswith("not shown") and count}
    return "".join(f", {count} {name}" for name, count in hidden.items())


def draft_body(title: str, month: int, indicators: int, rag: dict[str, int], lists: dict[str, list[str]],
               attachments: list[str], suppressed: bool = False) -> str:
    """A short plain-text body: the month, RAG counts and the three lists of the Summary."""
    lines = [f"{title} \u2014 {month_label(month)}", "",
             f"Reporting month: {month_label(month)} ({indicators} indicators).",
             f"RAG: {rag.get('Red', 0)} red, {rag.get('Amber', 0)} amber, {rag.get('Green', 0)} green, "
             f"{rag.get('Grey', 0)} not rated{_not_shown(rag)}.", ""]
    for name, items in lists.items():
        lines.append(f"{name} ({len(items)})")
        lines += [f"- {item}" for item in items] or ["- none this month"]
        lines.append("")
    lines.append(f"Attached: {', '.join(attachments)}. The workbook holds the Summary and the Scorecard as "
                 "values only (no macros, formulas or raw data); it opens in Excel, Excel on the web, "
                 "phones and LibreOffice.")
    if suppressed:
        lines.append("c = 1 to 5, suppressed to protect children's identities.")
    return "\n".join(lines) + "\n"


def build_draft(to: list[str], subject: str, body: str, attachments: list[Path]) -> EmailMessage:
    message = EmailMessage(policy=email.policy.SMTP)
    if to:
        message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["X-Unsent"] = "1"
    message.set_content(body)
    for path in attachments:
        path = Path(path)
        maintype, subtype = MIME_TYPES.get(path.suffix.lower(), ("application", "octet-stream"))
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    return message


def write_draft(path: str | Path, message: EmailMessage) -> Path:
    path = Path(path)
    path.write_bytes(message.as_bytes(policy=email.policy.SMTP))
    return path
