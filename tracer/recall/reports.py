"""The documents a consumer-goods recall files: plan, progress reports, closing summary.

Each comes straight out of the campaign (its events) and a fresh forward
trace of its lots, as a `ReportDoc` that writes to PDF, Markdown or text.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from tracer.ledger import Ledger
from tracer.model import parse_time
from tracer.recall.campaign import campaign_progress
from tracer.recall.campaign_model import CampaignProgress
from tracer.recall.campaign_store import campaign_actions
from tracer.recall.notices import HAZARD_ZH, REMEDY
from tracer.recall.report_doc import ReportDoc, write_report
from tracer.recall.trace import forward_trace
from tracer.recall.vocab import short_id

ACTION_ZH = {
    "open": "发起召回",
    "notified": "已通知",
    "acknowledged": "已确认",
    "returned": "退回",
    "destroyed": "销毁",
    "repaired": "维修",
    "closed": "结束召回",
}


CHINA = timezone(timedelta(hours=8))


def _date(utc_text: str | None) -> str:
    """Times in reports are China time (UTC+8), as filed."""
    if not utc_text:
        return ""
    return parse_time(utc_text).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def _g(x: float) -> str:
    return f"{x:g}"


def _header(doc: ReportDoc, p: CampaignProgress) -> None:
    c = p.campaign
    desk = c.contact or {}
    doc.add(
        "1. 召回概况 Summary",
        f"召回编号 Campaign: {c.campaign_id}；状态 Status: {c.status}；"
        f"发起时间 Opened: {_date(c.opened_at)}；发起人 Opened by: {c.opened_by or '—'}",
        f"召回企业 Recalling firm: {desk.get('name_zh') or ''} {desk.get('name') or ''}；"
        f"联系人 Contact: {desk.get('contact') or ''}，电话 {desk.get('phone') or ''}，"
        f"邮箱 {desk.get('email') or ''}",
        f"缺陷 Defect: {c.reason}",
        f"危害等级 Hazard: {HAZARD_ZH.get(c.hazard, c.hazard)} ({c.hazard})",
    )


def _regions(doc: ReportDoc, p: CampaignProgress, title: str) -> None:
    s = doc.add(title)
    s.header = [
        "地区 Region",
        "地点 Locations",
        "已通知 Notified",
        "已确认 Acknowledged",
        "分销 Distributed",
        "召回时库存 On hand",
        "已追回 Recovered",
    ]
    s.rows = [
        [
            r.region,
            r.targets,
            r.notified,
            r.acknowledged,
            _g(r.units_shipped),
            _g(r.units_on_hand),
            _g(r.units_accounted),
        ]
        for r in p.regions
    ]


def recall_plan(ledger: Ledger, campaign_id: str) -> ReportDoc:
    """Defect, hazard, scope of products and lots, quantities made and sold,
    distribution, measures and timetable."""
    p = campaign_progress(ledger, campaign_id)
    c = p.campaign
    graph = forward_trace(ledger, c.lots)
    doc = ReportDoc(
        f"召回计划 Recall plan {c.campaign_id}",
        f"Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by tracer",
    )
    _header(doc, p)
    s = doc.add(
        "2. 召回范围 Scope: products and lots",
        "所列批次包括申请召回的批次以及以其为原料生产的全部批次（经加工转换追踪）。"
        " The lots listed are those named and every lot made from them (through transformations).",
    )
    s.header = [
        "批次 Lot",
        "产品 Product",
        "关系 Relation",
        "生产日期 Produced",
        "有效期 Expiry",
        "生产数量 Made",
        "已售 Sold",
        "渠道库存 In channel",
    ]
    for lot, info in sorted(graph.lots.items(), key=lambda kv: (kv[1].depth, kv[0])):
        made = sum(t.lot_units("produced", lot) for t in graph.locations.values())
        sold = sum(t.lot_units("sold", lot) for t in graph.locations.values())
        held = sum(t.on_hand(lot) for t in graph.locations.values())
        relation = "named 申请召回" if info.depth == 0 else f"made from it 下游第{info.depth}级"
        s.rows.append(
            [
                short_id(lot),
                f"{info.product_zh or ''} {info.product or ''}".strip(),
                relation,
                info.production_date,
                info.expiry_date,
                _g(made),
                _g(sold),
                _g(held),
            ]
        )
    doc.add(
        "3. 数量 Quantities",
        f"受影响地点 Locations that received the goods: {p.targets}",
        f"分销数量 Units distributed: {_g(p.units_shipped)}；已售出 Sold to consumers: {_g(p.units_sold)}；"
        f"召回时渠道库存 Held by the locations when the recall opened: {_g(p.units_on_hand)}",
    )
    _regions(doc, p, "4. 分布 Distribution by region")
    zh_do, en_do = REMEDY.get(c.remedy, ("", ""))
    doc.add(
        "5. 召回措施 Measures",
        f"处理方式 Remedy: {c.remedy} — 要求各地点{zh_do}；{en_do}.",
        f"具体要求 Instructions: {c.instructions or '—'}",
        "向每个受影响地点发送中英文召回通知（PDF信函及电子邮件），并记录确认、退回和销毁数量。"
        " Every location receives a bilingual notice (PDF letter and e-mail); acknowledgements,"
        " returned and destroyed quantities are recorded in the ledger as they come in.",
    )
    opened = parse_time(c.opened_at)
    steps = [
        (0, "发起召回、确定范围 Recall opened, scope fixed"),
        (1, "向全部地点发出通知 Notices sent to every location"),
        (3, "收到全部确认 All acknowledgements received"),
        (7, "第一次进度报告 First progress report"),
        (14, "第二次进度报告 Second progress report"),
        (30, "完成退回/销毁 Returns / destruction complete"),
        (35, "提交总结报告 Closing summary filed"),
    ]
    s = doc.add("6. 时间表 Timetable")
    s.header = ["日期 Date", "事项 Milestone"]
    s.rows = [[(opened + timedelta(days=d)).strftime("%Y-%m-%d"), what] for d, what in steps]
    return doc


def progress_report(
    ledger: Ledger, campaign_id: str, *, as_of: datetime | None = None
) -> ReportDoc:
    p = campaign_progress(ledger, campaign_id)
    c = p.campaign
    when = as_of or datetime.now(UTC)
    doc = ReportDoc(
        f"召回进度报告 Recall progress report {c.campaign_id}", f"As of {when:%Y-%m-%d %H:%M} UTC"
    )
    _header(doc, p)
    doc.add(
        "2. 进度 Progress",
        f"已通知 Notified: {p.notified}/{p.targets}；已确认 Acknowledged: {p.acknowledged}/{p.targets}",
        f"已追回 Recovered: {_g(p.units_accounted)}（退回 returned {_g(p.units_returned)}，"
        f"销毁 destroyed {_g(p.units_destroyed)}，维修 repaired {_g(p.units_repaired)}）",
        f"占召回时库存 Of units held at opening: {p.percent_of_on_hand:.1f}%；"
        f"含已售占分销 Recovered or sold, of units distributed: {p.percent_of_shipped:.1f}%",
    )
    _regions(doc, p, "3. 分地区 By region")
    s = doc.add("4. 未完成地点 Locations still outstanding")
    s.header = [
        "地点 Location",
        "地区 Region",
        "联系人 Contact",
        "电话 Phone",
        "已确认 Ack",
        "库存 On hand",
        "已追回 Recovered",
    ]
    s.rows = [
        [
            t.name_zh or t.name,
            t.region,
            t.contact,
            t.phone,
            "是 yes" if t.acknowledged_at else "否 no",
            _g(t.units_on_hand),
            _g(t.units_accounted),
        ]
        for t in c.targets
        if t.acknowledged_at is None or t.units_outstanding > 0
    ]
    log = campaign_actions(ledger, campaign_id)
    s = doc.add("5. 记录 Log (latest 50)")
    s.header = ["时间 Time", "事项 Action", "地点 Location", "批次 Lot", "数量 Qty", "经办 By"]
    s.rows = [
        [
            _date(a["at"]),
            f"{ACTION_ZH.get(a['action'], a['action'])} {a['action']}",
            a["name"] or "",
            short_id(a["lot_class"]) if a["lot_class"] else "",
            a["quantity"] or "",
            a["by"] or "",
        ]
        for a in log[-50:]
    ]
    return doc


def closing_summary(
    ledger: Ledger, campaign_id: str, *, conclusion: str | None = None
) -> ReportDoc:
    p = campaign_progress(ledger, campaign_id)
    c = p.campaign
    end = c.closed_at or None
    doc = ReportDoc(
        f"召回总结报告 Recall closing summary {c.campaign_id}",
        f"Period {_date(c.opened_at)} – {_date(end) if end else 'open'}",
    )
    _header(doc, p)
    doc.add(
        "2. 结果 Outcome",
        f"受影响地点 Locations: {p.targets}；已通知 notified {p.notified}；已确认 acknowledged {p.acknowledged}",
        f"分销 Distributed: {_g(p.units_shipped)}；已售出 sold before recall: {_g(p.units_sold)}；"
        f"召回时库存 held at opening: {_g(p.units_on_hand)}",
        f"已追回 Recovered: {_g(p.units_accounted)}（退回 {_g(p.units_returned)}，销毁 {_g(p.units_destroyed)}，"
        f"维修 {_g(p.units_repaired)}）= {p.percent_of_on_hand:.1f}% of units held at opening",
        f"未追回 Not recovered: {_g(max(p.units_on_hand - p.units_accounted, 0))}",
    )
    _regions(doc, p, "3. 分地区 By region")
    counts: dict[str, int] = {}
    for a in campaign_actions(ledger, campaign_id):
        counts[a["action"]] = counts.get(a["action"], 0) + 1
    s = doc.add("4. 记录汇总 Actions recorded")
    s.header = ["事项 Action", "次数 Count"]
    s.rows = [[f"{ACTION_ZH.get(k, k)} {k}", n] for k, n in sorted(counts.items())]
    doc.add(
        "5. 结论与改进措施 Conclusion and corrective measures",
        conclusion
        or "（请补充原因分析和防止再发生的措施 Add the root cause and the measures taken.）",
    )
    return doc


REPORTS = {"plan": recall_plan, "progress": progress_report, "closing": closing_summary}


def write_recall_plan(ledger: Ledger, campaign_id: str, path: str | Path) -> Path:
    return write_report(recall_plan(ledger, campaign_id), path)


def write_progress_report(ledger: Ledger, campaign_id: str, path: str | Path) -> Path:
    return write_report(progress_report(ledger, campaign_id), path)


def write_closing_summary(
    ledger: Ledger, campaign_id: str, path: str | Path, *, conclusion: str | None = None
) -> Path:
    return write_report(closing_summary(ledger, campaign_id, conclusion=conclusion), path)
