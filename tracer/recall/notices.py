"""Per-retailer recall notices: a bilingual PDF letter and a ready-to-send .eml.

The letter says, in Chinese then English, which products and lots this
location received and how many, what is wrong and how serious it is, what to
do with the goods, and whom to call; the e-mail carries the same text and
the PDF attached. Both quote the campaign id the retailer replies with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from tracer.ledger import Ledger
from tracer.recall.campaign_model import Campaign, Target
from tracer.recall.campaign_store import load_campaign

HAZARD_ZH = {"high": "高", "medium": "中", "low": "低"}
REMEDY = {
    "return": ("停止销售，将所列产品全部退回", "stop selling and return all listed units"),
    "destroy": (
        "停止销售，就地销毁所列产品并保留销毁记录",
        "stop selling and destroy all listed units, keeping a record",
    ),
    "repair": ("停止销售，等待我司安排维修", "stop selling and hold the units for repair by us"),
}


@dataclass(frozen=True)
class NoticeLine:
    product: str
    product_zh: str
    gtin: str
    lot: str
    units: float


def notice_lines(campaign: Campaign, target: Target) -> list[NoticeLine]:
    info = {d["lotClass"]: d for d in campaign.affected_lots}
    lines = []
    for lot_class, units in sorted(target.by_lot.items()):
        d = info.get(lot_class, {})
        lines.append(
            NoticeLine(
                product=d.get("product") or "",
                product_zh=d.get("productZh") or d.get("product") or "",
                gtin=d.get("gtin") or "",
                lot=d.get("lot") or lot_class,
                units=units,
            )
        )
    return lines


def _desk(campaign: Campaign) -> dict[str, str]:
    c = campaign.contact or {}
    return {k: str(c.get(k) or "") for k in ("name", "name_zh", "contact", "phone", "email")}


def notice_text(campaign: Campaign, target: Target) -> str:
    """The plain-text body (Chinese, then English) used by the e-mail."""
    desk = _desk(campaign)
    lines = notice_lines(campaign, target)
    zh_do, en_do = REMEDY.get(campaign.remedy, ("", ""))
    products_zh = "\n".join(
        f"  - {x.product_zh}（GTIN {x.gtin}，批号 {x.lot}）：{x.units:g} 件" for x in lines
    )
    products_en = "\n".join(
        f"  - {x.product} (GTIN {x.gtin}, lot {x.lot}): {x.units:g} units" for x in lines
    )
    return f"""{target.name_zh or target.name}（{target.contact or ""}）：

{desk["name_zh"] or desk["name"]}发起产品召回（编号 {campaign.campaign_id}）。
召回原因：{campaign.reason}
危害等级：{HAZARD_ZH.get(campaign.hazard, campaign.hazard)}
贵店收到的受影响产品：
{products_zh}
请立即{zh_do}。{campaign.instructions or ""}
请回复本邮件确认收到通知（注明召回编号 {campaign.campaign_id}）。
联系人：{desk["contact"]}  电话：{desk["phone"]}  邮箱：{desk["email"]}

---

Dear {target.contact or target.name},

{desk["name"]} is recalling products (campaign {campaign.campaign_id}).
Reason: {campaign.reason}
Hazard level: {campaign.hazard}
Affected products your location received:
{products_en}
Please {en_do} immediately. {campaign.instructions or ""}
Please reply to confirm you received this notice, quoting {campaign.campaign_id}.
Contact: {desk["contact"]}  phone {desk["phone"]}  e-mail {desk["email"]}
"""


def write_notice_pdf(campaign: Campaign, target: Target, path: str | Path) -> Path:
    from reportlab.lib.units import mm

    from tracer.recall import pdfkit

    st = pdfkit.styles()
    desk = _desk(campaign)
    lines = notice_lines(campaign, target)
    zh_do, en_do = REMEDY.get(campaign.remedy, ("", ""))
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    rows = [[x.product_zh, x.product, x.gtin, x.lot, f"{x.units:g}"] for x in lines]
    table = pdfkit.table(
        st,
        ["产品", "Product", "GTIN", "批号 Lot", "数量 Units"],
        rows,
        [40 * mm, 48 * mm, 32 * mm, 34 * mm, 26 * mm],
    )
    p = pdfkit.para
    story: list[Any] = [
        p("产品召回通知  Product Recall Notice", st.title),
        p(f"召回编号 Campaign: {campaign.campaign_id}    日期 Date: {today}", st.body),
        p(
            f"致 To: {target.name_zh or ''} {target.name or ''}\n"
            f"{target.address or ''}\n联系人 Attn: {target.contact or ''}  {target.phone or ''}",
            st.body,
        ),
        p("一、召回原因与危害", st.h2),
        p(
            f"{desk['name_zh'] or desk['name']}发现以下产品存在缺陷：{campaign.reason}。"
            f"危害等级：{HAZARD_ZH.get(campaign.hazard, campaign.hazard)}。",
            st.body,
        ),
        p("二、贵店收到的受影响产品", st.h2),
        table,
        p("三、请采取的措施", st.h2),
        p(f"请立即{zh_do}。{campaign.instructions or ''}", st.body),
        p(f"请于收到本通知后回复确认，并注明召回编号 {campaign.campaign_id}。", st.body),
        p("四、联系方式", st.h2),
        p(f"联系人：{desk['contact']}    电话：{desk['phone']}    邮箱：{desk['email']}", st.body),
        p("1. Reason and hazard", st.h2),
        p(
            f"{desk['name'] or desk['name_zh']} found a defect in the products below: "
            f"{campaign.reason}. Hazard level: {campaign.hazard}.",
            st.body,
        ),
        p("2. What to do", st.h2),
        p(
            f"Please {en_do} immediately. {campaign.instructions or ''} "
            f"Confirm receipt of this notice by replying and quoting {campaign.campaign_id}.",
            st.body,
        ),
        p("3. Whom to call", st.h2),
        p(f"{desk['contact']}    phone {desk['phone']}    e-mail {desk['email']}", st.body),
    ]
    return pdfkit.build(
        path,
        story,
        title=f"Recall notice {campaign.campaign_id} – {target.name}",
        footer=f"{campaign.campaign_id} · {target.gln or target.sgln}",
    )


def build_notice_email(campaign: Campaign, target: Target, pdf: Path | None = None) -> EmailMessage:
    desk = _desk(campaign)
    lines = notice_lines(campaign, target)
    product = lines[0].product_zh if lines else ""
    msg = EmailMessage()
    msg["Subject"] = f"【产品召回通知】Product recall {campaign.campaign_id} – {product}"
    msg["From"] = desk["email"] or "recall@localhost"
    msg["To"] = target.email or ""
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(
        domain=(desk["email"].split("@")[-1] or None) if desk["email"] else None
    )
    msg["X-Recall-Campaign"] = campaign.campaign_id
    msg.set_content(notice_text(campaign, target), charset="utf-8")
    if pdf is not None:
        msg.add_attachment(
            pdf.read_bytes(), maintype="application", subtype="pdf", filename=pdf.name
        )
    return msg


def write_notice_eml(
    campaign: Campaign, target: Target, path: str | Path, pdf: Path | None = None
) -> Path:
    p = Path(path)
    p.write_bytes(bytes(build_notice_email(campaign, target, pdf)))
    return p


def write_notices(
    ledger: Ledger,
    campaign_id: str,
    out_dir: str | Path,
    *,
    mark_notified: bool = False,
    by: str | None = None,
) -> list[Path]:
    """A PDF letter and an .eml for every target; optionally record them as notified."""
    campaign = load_campaign(ledger, campaign_id)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for t in campaign.targets:
        stem = f"{campaign_id}_{t.gln or t.sgln.rsplit(':', 1)[-1]}"
        pdf = write_notice_pdf(campaign, t, out / f"{stem}.pdf")
        eml = write_notice_eml(campaign, t, out / f"{stem}.eml", pdf)
        written += [pdf, eml]
    if mark_notified:
        from tracer.recall.campaign import record_notified

        pending = [t.sgln for t in campaign.targets if t.notified_at is None]
        if pending:
            record_notified(ledger, campaign_id, pending, by=by)
    return written
