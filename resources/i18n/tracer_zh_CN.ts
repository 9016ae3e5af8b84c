<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlertsPanel</name>
    <message>
        <source>Alert</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Signals</source>
        <translation>信号</translation>
    </message>
    <message>
        <source>Lots</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Retailer</source>
        <translation>零售商</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收货</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>已售</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>在库</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Defect found (the alert&apos;s title if empty)</source>
        <translation>发现的缺陷（留空则用预警标题）</translation>
    </message>
    <message>
        <source>Open recall campaign</source>
        <translation>发起召回</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>signals on one lot</source>
        <translation>同一批次多次信号</translation>
    </message>
    <message>
        <source>signals on one product</source>
        <translation>同一产品多次信号</translation>
    </message>
    <message>
        <source>signals on one supplier lot</source>
        <translation>同一供应商批次多次信号</translation>
    </message>
    <message>
        <source>injury report</source>
        <translation>伤害报告</translation>
    </message>
    <message>
        <source>failed spot check</source>
        <translation>抽检不合格</translation>
    </message>
    <message>
        <source>{n} signals on lot {lot} ({product})</source>
        <translation>批次 {lot}（{product}）有 {n} 条信号</translation>
    </message>
    <message>
        <source>{n} signals on {product} over several lots</source>
        <translation>{product} 多个批次共有 {n} 条信号</translation>
    </message>
    <message>
        <source>Evaluating alerts</source>
        <translation>正在计算预警</translation>
    </message>
    <message>
        <source>open</source>
        <translation>未处理</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>No alert: signals have not clustered.</source>
        <translation>无预警：信号尚未聚集。</translation>
    </message>
    <message>
        <source>{n} signals · {lots} affected lots</source>
        <translation>{n} 条信号 · {lots} 个受影响批次</translation>
    </message>
    <message>
        <source>{made} units made, {retail} received by {shops} retailers, {sold} sold</source>
        <translation>生产 {made} 件，{shops} 家零售商收货 {retail} 件，已售 {sold} 件</translation>
    </message>
    <message>
        <source>campaign {ids}</source>
        <translation>召回 {ids}</translation>
    </message>
</context>
<context>
    <name>BusyBar</name>
    <message>
        <source>Loading events…</source>
        <translation>正在加载事件…</translation>
    </message>
    <message>
        <source>Stopped: more events may match. Press Filter to search again.</source>
        <translation>已停止：可能还有更多符合条件的事件。请点击“筛选”重新查找。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>CameraPreview</name>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
</context>
<context>
    <name>CampaignScreen</name>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>return</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>destroy</source>
        <translation>就地销毁</translation>
    </message>
    <message>
        <source>repair</source>
        <translation>维修</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Hazard {hazard} · remedy: {remedy} · opened {when} by {who} · lots: {lots}</source>
        <translation>危害等级 {hazard} · 处置方式：{remedy} · {when} 由 {who} 发起 · 批次数：{lots}</translation>
    </message>
    <message>
        <source>{acc} of {shipped} units accounted for (returned, destroyed or sold) · {notified}/{targets} notified · {acked} acknowledged</source>
        <translation>已落实 {acc} / {shipped} 件（退回、销毁或已售）· 已通知 {notified}/{targets} · 已确认 {acked}</translation>
    </message>
    <message>
        <source>{acked}/{targets} acknowledged</source>
        <translation>已确认 {acked}/{targets}</translation>
    </message>
    <message>
        <source>Select the retailers that acknowledged.</source>
        <translation>请选择已确认收到通知的零售商。</translation>
    </message>
    <message>
        <source>Select one retailer.</source>
        <translation>请选择一个零售商。</translation>
    </message>
    <message>
        <source>Units returned</source>
        <translation>退回数量</translation>
    </message>
    <message>
        <source>Units destroyed on site</source>
        <translation>就地销毁数量</translation>
    </message>
    <message>
        <source>Folder for the notices</source>
        <translation>通知书保存文件夹</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>This report is not available in this version.</source>
        <translation>此版本暂不提供该报告。</translation>
    </message>
    <message>
        <source>Wrote {n} file(s) to {where}</source>
        <translation>已写入 {n} 个文件到 {where}</translation>
    </message>
    <message>
        <source>Writing {what}</source>
        <translation>正在生成：{what}</translation>
    </message>
    <message>
        <source>Recall campaigns</source>
        <translation>召回活动</translation>
    </message>
    <message>
        <source>No recall campaign yet. Trace a lot on Trace &amp; recall, then open a campaign from it.</source>
        <translation>尚无召回活动。请先在“追溯与召回”中追溯批次，再从追溯结果发起召回。</translation>
    </message>
    <message>
        <source>Progress by region</source>
        <translation>各地区进度</translation>
    </message>
    <message>
        <source>Retailer</source>
        <translation>零售商</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收货数量</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>现存数量</translation>
    </message>
    <message>
        <source>Notified</source>
        <translation>已通知</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Destroyed</source>
        <translation>已销毁</translation>
    </message>
    <message>
        <source>Mark notified</source>
        <translation>标记为已通知</translation>
    </message>
    <message>
        <source>Record acknowledgement</source>
        <translation>记录确认回执</translation>
    </message>
    <message>
        <source>Record return…</source>
        <translation>记录退回…</translation>
    </message>
    <message>
        <source>Record destroyed…</source>
        <translation>记录销毁…</translation>
    </message>
    <message>
        <source>Close campaign</source>
        <translation>结束召回</translation>
    </message>
    <message>
        <source>Notices to retailers (PDF + e-mail)</source>
        <translation>零售商召回通知（PDF + 邮件）</translation>
    </message>
    <message>
        <source>Retailer list (CSV)</source>
        <translation>零售商清单（CSV）</translation>
    </message>
    <message>
        <source>Retailer list (Excel)</source>
        <translation>零售商清单（Excel）</translation>
    </message>
    <message>
        <source>Retailer list (PDF)</source>
        <translation>零售商清单（PDF）</translation>
    </message>
    <message>
        <source>Recall plan (PDF)</source>
        <translation>召回计划（PDF）</translation>
    </message>
    <message>
        <source>Progress report (PDF)</source>
        <translation>召回进展报告（PDF）</translation>
    </message>
    <message>
        <source>Closing summary (PDF)</source>
        <translation>召回总结报告（PDF）</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>Correct event {seq}</source>
        <translation>更正事件 {seq}</translation>
    </message>
    <message>
        <source>The ledger never changes a recorded event. Fix the event below as it should have been; tracer records an error declaration for the original and the corrected event, signed with your name.</source>
        <translation>账本从不修改已记录的事件。请在下方把事件改为正确的内容；tracer 将为原事件记录一条错误声明，并记录更正后的事件，均以您的姓名签署。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Incorrect data: record the corrected event</source>
        <translation>数据有误：记录更正后的事件</translation>
    </message>
    <message>
        <source>Did not occur: cancel the event only</source>
        <translation>未发生：仅撤销此事件</translation>
    </message>
    <message>
        <source>The event is not valid EPCIS JSON: {error}</source>
        <translation>该事件不是有效的 EPCIS JSON：{error}</translation>
    </message>
</context>
<context>
    <name>DevicesScreen</name>
    <message>
        <source>Looking for devices</source>
        <translation>正在查找设备</translation>
    </message>
    <message>
        <source>No serial port or camera found. Plug the device in, then press Refresh.</source>
        <translation>未找到串口或摄像头。请插入设备后点击“刷新”。</translation>
    </message>
    <message>
        <source>Baud rate</source>
        <translation>波特率</translation>
    </message>
    <message>
        <source>Line ending</source>
        <translation>结束符</translation>
    </message>
    <message>
        <source>Parity</source>
        <translation>校验位</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Power, dBm</source>
        <translation>功率 dBm</translation>
    </message>
    <message>
        <source>Antenna</source>
        <translation>天线</translation>
    </message>
    <message>
        <source>Antennas</source>
        <translation>天线</translation>
    </message>
    <message>
        <source>Decoder</source>
        <translation>解码器</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <source>cannot be used</source>
        <translation>无法使用</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Scan a code with the device to test…</source>
        <translation>请用该设备扫一个码进行测试…</translation>
    </message>
    <message>
        <source>Read from {device}: {text} → {verdict}</source>
        <translation>读自 {device}：{text} → {verdict}</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Found on this computer</source>
        <translation>本机发现的设备</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Connect a device</source>
        <translation>连接设备</translation>
    </message>
    <message>
        <source>Driver</source>
        <translation>驱动</translation>
    </message>
    <message>
        <source>Port or address</source>
        <translation>端口或地址</translation>
    </message>
    <message>
        <source>URI</source>
        <translation>URI</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Connected devices</source>
        <translation>已连接的设备</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>Frames / faults</source>
        <translation>帧数 / 故障</translation>
    </message>
    <message>
        <source>Last frame</source>
        <translation>最近一帧</translation>
    </message>
    <message>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>断开</translation>
    </message>
    <message>
        <source>Test read</source>
        <translation>测试读取</translation>
    </message>
</context>
<context>
    <name>EventModel</name>
    <message>
        <source> (+{n} more)</source>
        <translation>（另有 {n} 个）</translation>
    </message>
    <message>
        <source>Loading events</source>
        <translation>正在加载事件</translation>
    </message>
    <message>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Event time</source>
        <translation>事件时间</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>业务步骤</translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>What</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <source>Error declaration</source>
        <translation>错误声明</translation>
    </message>
</context>
<context>
    <name>ImportPanel</name>
    <message>
        <source>Choose sheet…</source>
        <translation>选择表格…</translation>
    </message>
    <message>
        <source>a CSV or XLSX result sheet</source>
        <translation>CSV 或 XLSX 结果表</translation>
    </message>
    <message>
        <source>Read and link</source>
        <translation>读取并关联</translation>
    </message>
    <message>
        <source>Import signals</source>
        <translation>导入信号</translation>
    </message>
    <message>
        <source>Column for each field</source>
        <translation>各字段对应的列</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Product name</source>
        <translation>产品名称</translation>
    </message>
    <message>
        <source>GTIN</source>
        <translation>商品条码 GTIN</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>追溯码</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>报告人</translation>
    </message>
    <message>
        <source>Shop</source>
        <translation>店铺</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Import a result sheet</source>
        <translation>导入结果表</translation>
    </message>
    <message>
        <source>Sheets (*.csv *.xlsx)</source>
        <translation>表格 (*.csv *.xlsx)</translation>
    </message>
    <message>
        <source>reading</source>
        <translation>读取中</translation>
    </message>
    <message>
        <source>Reading {file}</source>
        <translation>正在读取 {file}</translation>
    </message>
    <message>
        <source>{rows} rows: {lot} linked to a lot, {product} to the product only, {none} not linked</source>
        <translation>共 {rows} 行：{lot} 行关联到批次，{product} 行仅关联到产品，{none} 行未关联</translation>
    </message>
    <message>
        <source>{added} signals added, {already} already there</source>
        <translation>新增 {added} 条信号，{already} 条已存在</translation>
    </message>
    <message>
        <source>lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>product only</source>
        <translation>仅产品</translation>
    </message>
    <message>
        <source>not linked</source>
        <translation>未关联</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>关联</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>writing</source>
        <translation>写入中</translation>
    </message>
    <message>
        <source>Importing signals</source>
        <translation>正在导入信号</translation>
    </message>
</context>
<context>
    <name>InspectionScreen</name>
    <message>
        <source>Scan a label that carries the lot (AI 10).</source>
        <translation>请扫描带有批号（AI 10）的标签。</translation>
    </message>
    <message>
        <source>This sample was already scanned.</source>
        <translation>该样品已扫描过。</translation>
    </message>
    <message>
        <source>Unknown product</source>
        <translation>未知产品</translation>
    </message>
    <message>
        <source>Lot {lot}</source>
        <translation>批次 {lot}</translation>
    </message>
    <message>
        <source>made {date}</source>
        <translation>生产日期 {date}</translation>
    </message>
    <message>
        <source>(not in master data)</source>
        <translation>（主数据中没有）</translation>
    </message>
    <message>
        <source>Code letter {letter} → sample {n} items · accept with ≤ {ac}, reject with ≥ {re} nonconforming</source>
        <translation>样本量字码 {letter} → 抽取 {n} 件 · 不合格品数 ≤ {ac} 接收，≥ {re} 拒收</translation>
    </message>
    <message>
        <source>(the table&apos;s arrow leads to the plan of letter {letter})</source>
        <translation>（按表中箭头，采用字码 {letter} 的抽样方案）</translation>
    </message>
    <message>
        <source>The sample is the whole lot: inspect every item.</source>
        <translation>样本量不小于批量：全数检验。</translation>
    </message>
    <message>
        <source>Samples scanned: {got} of {n}</source>
        <translation>已扫描样品：{got} / {n}</translation>
    </message>
    <message>
        <source>Scan or type a lot to start</source>
        <translation>请扫描或输入批次开始检验</translation>
    </message>
    <message>
        <source>PASS: {n} nonconforming ≤ Ac {ac}</source>
        <translation>合格：不合格品 {n} ≤ Ac {ac}</translation>
    </message>
    <message>
        <source>FAIL: critical defect found</source>
        <translation>不合格：发现致命缺陷</translation>
    </message>
    <message>
        <source>FAIL: {n} nonconforming ≥ Re {re}</source>
        <translation>不合格：不合格品 {n} ≥ Re {re}</translation>
    </message>
    <message>
        <source>Note: {got} of {n} samples were scanned.</source>
        <translation>注意：仅扫描了 {got} / {n} 件样品。</translation>
    </message>
    <message>
        <source>conformant</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>non-conformant</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>Recorded as event {seq}: lot {lot} is {verdict}.</source>
        <translation>已记录为事件 {seq}：批次 {lot} 判定为{verdict}。</translation>
    </message>
    <message>
        <source>Lot {lot} is on hold (event {seq}).</source>
        <translation>批次 {lot} 已扣留（事件 {seq}）。</translation>
    </message>
    <message>
        <source>Inspection (GB/T 2828.1 / ISO 2859-1)</source>
        <translation>检验（GB/T 2828.1 / ISO 2859-1）</translation>
    </message>
    <message>
        <source>1. Lot</source>
        <translation>1. 批次</translation>
    </message>
    <message>
        <source>Scan the lot label, or type GTIN/LOT</source>
        <translation>扫描批次标签，或输入 GTIN/批号</translation>
    </message>
    <message>
        <source>Use lot</source>
        <translation>选用批次</translation>
    </message>
    <message>
        <source>No lot yet.</source>
        <translation>尚未选择批次。</translation>
    </message>
    <message>
        <source>2. Sampling plan</source>
        <translation>2. 抽样方案</translation>
    </message>
    <message>
        <source>Lot size</source>
        <translation>批量</translation>
    </message>
    <message>
        <source>Inspection level</source>
        <translation>检验水平</translation>
    </message>
    <message>
        <source>AQL</source>
        <translation>AQL（接收质量限）</translation>
    </message>
    <message>
        <source>Inspection</source>
        <translation>检验严格度</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>正常检验</translation>
    </message>
    <message>
        <source>tightened</source>
        <translation>加严检验</translation>
    </message>
    <message>
        <source>reduced</source>
        <translation>放宽检验</translation>
    </message>
    <message>
        <source>3. Samples and defects</source>
        <translation>3. 样品与缺陷</translation>
    </message>
    <message>
        <source>Critical defects</source>
        <translation>致命缺陷</translation>
    </message>
    <message>
        <source>Major defects</source>
        <translation>严重缺陷</translation>
    </message>
    <message>
        <source>Minor defects</source>
        <translation>轻微缺陷</translation>
    </message>
    <message>
        <source>Nonconforming items</source>
        <translation>不合格品数</translation>
    </message>
    <message>
        <source>Record result</source>
        <translation>记录结果</translation>
    </message>
    <message>
        <source>Put lot on hold</source>
        <translation>扣留该批次</translation>
    </message>
    <message>
        <source>Trace and recall this lot…</source>
        <translation>追溯并召回该批次…</translation>
    </message>
</context>
<context>
    <name>LastScanPanel</name>
    <message>
        <source>Logistic unit (SSCC)</source>
        <translation>物流单元（SSCC）</translation>
    </message>
    <message>
        <source>Unknown product</source>
        <translation>未知产品</translation>
    </message>
    <message>
        <source>Ready: scan a code</source>
        <translation>就绪：请扫码</translation>
    </message>
    <message>
        <source>Scan with any scanner, wherever the cursor is, or type a code below.</source>
        <translation>光标在任何位置都可用扫码枪扫码，也可在下方输入编码。</translation>
    </message>
    <message>
        <source>GTIN</source>
        <translation>GTIN</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Serial / SSCC</source>
        <translation>序列号 / SSCC</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Record anyway</source>
        <translation>仍然记录</translation>
    </message>
</context>
<context>
    <name>LedgerBrowserScreen</name>
    <message>
        <source>Could not read the ledger: {error}</source>
        <translation>无法读取账本：{error}</translation>
    </message>
    <message>
        <source>{n} events</source>
        <translation>{n} 个事件</translation>
    </message>
    <message>
        <source>counting…</source>
        <translation>统计中…</translation>
    </message>
    <message>
        <source>Counting events</source>
        <translation>正在统计事件</translation>
    </message>
    <message>
        <source>Event {seq} · recorded {time}</source>
        <translation>事件 {seq} · 记录于 {time}</translation>
    </message>
    <message>
        <source>Sent with its own eventID: {id}</source>
        <translation>发送方自己的事件标识 (eventID)：{id}</translation>
    </message>
    <message>
        <source>This is an error declaration ({reason}): the event it repeats is cancelled.</source>
        <translation>这是一条错误声明（{reason}）：它所对应的原事件已被撤销。</translation>
    </message>
    <message>
        <source>Declared wrong: left out of traces and reports.</source>
        <translation>已声明有误：追溯和报告中不计入此事件。</translation>
    </message>
    <message>
        <source>Ledger</source>
        <translation>账本</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>业务步骤</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>GTIN/LOT, or scan a lot label</source>
        <translation>GTIN/批号，或扫描批次标签</translation>
    </message>
    <message>
        <source>any</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Correct this event…</source>
        <translation>更正此事件…</translation>
    </message>
    <message>
        <source>No events match. Clear the filter, or record events at the scan station.</source>
        <translation>没有符合条件的事件。请清除筛选条件，或在扫码工位记录事件。</translation>
    </message>
    <message>
        <source>No ledger is open. Use File → Open ledger.</source>
        <translation>未打开账本。请使用 文件 → 打开账本。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>tracer ledgers (*.sqlite *.db);;All files (*)</source>
        <translation>tracer 账本 (*.sqlite *.db);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot open ledger</source>
        <translation>无法打开账本</translation>
    </message>
    <message>
        <source>Upgrading ledger (once)</source>
        <translation>正在升级台账（仅需一次）</translation>
    </message>
    <message>
        <source>New demo ledger</source>
        <translation>新建演示账本</translation>
    </message>
    <message>
        <source>tracer ledgers (*.sqlite)</source>
        <translation>tracer 账本 (*.sqlite)</translation>
    </message>
    <message>
        <source>Building demo ledger</source>
        <translation>正在生成演示账本</translation>
    </message>
    <message>
        <source>Import EPCIS document</source>
        <translation>导入 EPCIS 文档</translation>
    </message>
    <message>
        <source>EPCIS documents (*.json *.jsonld *.xml)</source>
        <translation>EPCIS 文档 (*.json *.jsonld *.xml)</translation>
    </message>
    <message>
        <source>{file}: {added} events added, {skipped} already there</source>
        <translation>{file}：新增 {added} 个事件，{skipped} 个已存在</translation>
    </message>
    <message>
        <source>Importing {file}</source>
        <translation>正在导入 {file}</translation>
    </message>
    <message>
        <source>Merge a laptop ledger</source>
        <translation>合并笔记本电脑上的账本</translation>
    </message>
    <message>
        <source>Merging {file}</source>
        <translation>正在合并 {file}</translation>
    </message>
    <message>
        <source>No ledger open</source>
        <translation>未打开账本</translation>
    </message>
    <message>
        <source>Ledger {path} · {n} events</source>
        <translation>账本 {path} · {n} 个事件</translation>
    </message>
    <message>
        <source>Operator: {name}</source>
        <translation>操作员：{name}</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>About tracer</source>
        <translation>关于 tracer</translation>
    </message>
    <message>
        <source>tracer {version}
Product traceability and recall: GS1 codes, EPCIS 2.0 ledger, forward trace, recall campaigns.</source>
        <translation>tracer {version}
产品追溯与召回：GS1 编码、EPCIS 2.0 账本、正向追溯、召回活动。</translation>
    </message>
    <message>
        <source>tracer — traceability and recall</source>
        <translation>tracer — 产品追溯与召回</translation>
    </message>
    <message>
        <source>Scan station</source>
        <translation>扫码工位</translation>
    </message>
    <message>
        <source>Inspection</source>
        <translation>检验</translation>
    </message>
    <message>
        <source>Ledger</source>
        <translation>账本</translation>
    </message>
    <message>
        <source>Trace &amp; recall</source>
        <translation>追溯与召回</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Recall campaigns</source>
        <translation>召回活动</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Master data</source>
        <translation>主数据</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open ledger…</source>
        <translation>打开账本(&amp;O)…</translation>
    </message>
    <message>
        <source>New &amp;demo ledger…</source>
        <translation>新建演示账本(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Import EPCIS document…</source>
        <translation>导入 EPCIS 文档(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Merge a laptop ledger…</source>
        <translation>合并笔记本账本(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>O&amp;perator</source>
        <translation>操作员(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Sign in…</source>
        <translation>登录(&amp;S)…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About tracer</source>
        <translation>关于 tracer(&amp;A)</translation>
    </message>
</context>
<context>
    <name>MasterData</name>
    <message>
        <source>GTIN</source>
        <translation>GTIN</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Chinese name</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <source>Specification</source>
        <translation>规格</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>执行标准</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Producer GLN</source>
        <translation>生产商 GLN</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Made on</source>
        <translation>生产日期</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Location GLN</source>
        <translation>地点 GLN</translation>
    </message>
    <message>
        <source>GLN</source>
        <translation>GLN</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Company GLN</source>
        <translation>所属企业 GLN</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>业务步骤</translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Ships to GLN</source>
        <translation>发往 GLN</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>PIN set</source>
        <translation>已设 PIN</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>MasterDataScreen</name>
    <message>
        <source>{shown} of {total} shown. Import a CSV or Excel sheet whose first row names the columns (English field names or Chinese headers such as 名称, 地址, 联系人).</source>
        <translation>显示 {shown} / {total} 条。可导入 CSV 或 Excel 表格，首行为列名（英文字段名，或“名称”“地址”“联系人”等中文表头）。</translation>
    </message>
    <message>
        <source>Import {kind}</source>
        <translation>导入{kind}</translation>
    </message>
    <message>
        <source>Sheets (*.csv *.xlsx)</source>
        <translation>表格 (*.csv *.xlsx)</translation>
    </message>
    <message>
        <source>Nothing imported: {n} rows need fixing.</source>
        <translation>未导入任何数据：有 {n} 行需要修正。</translation>
    </message>
    <message>
        <source>row {row}: {why}</source>
        <translation>第 {row} 行：{why}</translation>
    </message>
    <message>
        <source>Imported {n} records.</source>
        <translation>已导入 {n} 条记录。</translation>
    </message>
    <message>
        <source>Importing {file}</source>
        <translation>正在导入 {file}</translation>
    </message>
    <message>
        <source>Master data</source>
        <translation>主数据</translation>
    </message>
    <message>
        <source>Search all columns</source>
        <translation>在所有列中搜索</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Lots</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Locations</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>工位</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Import CSV / Excel…</source>
        <translation>导入 CSV / Excel…</translation>
    </message>
</context>
<context>
    <name>OpenLedgerDialog</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>A ledger file, or a PostgreSQL server: postgresql://user@host/database (the password comes from ~/.pgpass or $PGPASSWORD).</source>
        <translation>账本文件，或 PostgreSQL 服务器：postgresql://用户@主机/数据库（密码取自 ~/.pgpass 或 $PGPASSWORD）。</translation>
    </message>
    <message>
        <source>Open ledger</source>
        <translation>打开账本</translation>
    </message>
    <message>
        <source>tracer ledgers (*.sqlite *.db);;All files (*)</source>
        <translation>tracer 账本 (*.sqlite *.db);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>OpenRecallDialog</name>
    <message>
        <source>Open recall campaign</source>
        <translation>发起召回活动</translation>
    </message>
    <message>
        <source>{start}: {lots} affected lots, {shops} retailers. Every place that received them becomes a target.</source>
        <translation>{start}：涉及 {lots} 个批次、{shops} 家零售商。所有收到这些产品的地点都将列为召回对象。</translation>
    </message>
    <message>
        <source>Defect found</source>
        <translation>发现的缺陷</translation>
    </message>
    <message>
        <source>Hazard</source>
        <translation>危害等级</translation>
    </message>
    <message>
        <source>Remedy</source>
        <translation>处置方式</translation>
    </message>
    <message>
        <source>Instructions to retailers</source>
        <translation>给零售商的说明</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>return to us</source>
        <translation>退回本公司</translation>
    </message>
    <message>
        <source>destroy on site</source>
        <translation>就地销毁</translation>
    </message>
    <message>
        <source>repair</source>
        <translation>维修</translation>
    </message>
    <message>
        <source>e.g. small parts detach: choking hazard</source>
        <translation>例如：小零件易脱落，有窒息风险</translation>
    </message>
    <message>
        <source>Stop selling at once; keep the goods apart; call the number below.</source>
        <translation>请立即停止销售，隔离存放相关产品，并拨打下方电话联系我们。</translation>
    </message>
</context>
<context>
    <name>OperationStrip</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PassRatesBox</name>
    <message>
        <source>Pass rates</source>
        <translation>合格率</translation>
    </message>
    <message>
        <source>By</source>
        <translation>按</translation>
    </message>
    <message>
        <source>product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>line / station</source>
        <translation>产线 / 工位</translation>
    </message>
    <message>
        <source>month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Inspected</source>
        <translation>检验批数</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>合格批数</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>合格率</translation>
    </message>
</context>
<context>
    <name>QualityScreen</name>
    <message>
        <source>Quality signals, alerts and records</source>
        <translation>质量信号、预警与档案</translation>
    </message>
    <message>
        <source>Signals</source>
        <translation>信号</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Quality records</source>
        <translation>质量档案</translation>
    </message>
    <message>
        <source>Import a sheet</source>
        <translation>导入表格</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <source>Record a signal…</source>
        <translation>登记信号…</translation>
    </message>
    <message>
        <source>Assess…</source>
        <translation>评估…</translation>
    </message>
    <message>
        <source>Dismiss…</source>
        <translation>排除…</translation>
    </message>
    <message>
        <source>Escalate to a recall…</source>
        <translation>升级为召回…</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Linked lots</source>
        <translation>关联批次</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新</translation>
    </message>
    <message>
        <source>assessed</source>
        <translation>已评估</translation>
    </message>
    <message>
        <source>dismissed</source>
        <translation>已排除</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>open</source>
        <translation>未处理</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Assess signal</source>
        <translation>评估信号</translation>
    </message>
    <message>
        <source>Dismiss signal</source>
        <translation>排除信号</translation>
    </message>
    <message>
        <source>No open recall campaign: open one from an alert or a trace.</source>
        <translation>没有进行中的召回：请从预警或追溯发起。</translation>
    </message>
    <message>
        <source>Escalate to a recall</source>
        <translation>升级为召回</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>召回活动</translation>
    </message>
</context>
<context>
    <name>QualityVocab</name>
    <message>
        <source>Consumer complaint</source>
        <translation>消费者投诉</translation>
    </message>
    <message>
        <source>Injury report</source>
        <translation>伤害报告</translation>
    </message>
    <message>
        <source>E-commerce spot check</source>
        <translation>电商抽检</translation>
    </message>
    <message>
        <source>Market spot check</source>
        <translation>市场监督抽检</translation>
    </message>
    <message>
        <source>Retailer report</source>
        <translation>零售商报告</translation>
    </message>
    <message>
        <source>Export return</source>
        <translation>出口退运</translation>
    </message>
    <message>
        <source>Foreign recall notice</source>
        <translation>境外召回通报</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>严重</translation>
    </message>
</context>
<context>
    <name>RecordPanel</name>
    <message>
        <source>Producer</source>
        <translation>生产者</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Show record</source>
        <translation>查看档案</translation>
    </message>
    <message>
        <source>Export XLSX…</source>
        <translation>导出 XLSX…</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>Inspection pass rate</source>
        <translation>检验合格率</translation>
    </message>
    <message>
        <source>Spot-check pass rate</source>
        <translation>抽检合格率</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>GTIN or GLN</source>
        <translation>GTIN 或 GLN</translation>
    </message>
    <message>
        <source>Dashed line: the {target} pass-rate target</source>
        <translation>虚线：{target} 合格率目标</translation>
    </message>
    <message>
        <source>{lots} lots · {signals} signals · {flagged} flagged supplier lots · {recalls} recalls · acknowledged on time {ack}</source>
        <translation>{lots} 个批次 · {signals} 条信号 · {flagged} 个可疑供应商批次 · {recalls} 次召回 · 按时确认 {ack}</translation>
    </message>
    <message>
        <source>Excel (*.xlsx)</source>
        <translation>Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export quality record</source>
        <translation>导出质量档案</translation>
    </message>
    <message>
        <source>Written: {path}</source>
        <translation>已写入：{path}</translation>
    </message>
    <message>
        <source>Exporting quality record</source>
        <translation>正在导出质量档案</translation>
    </message>
</context>
<context>
    <name>ScanStationScreen</name>
    <message>
        <source>Choose or name a station to start recording.</source>
        <translation>请选择或输入工位名称后开始记录。</translation>
    </message>
    <message>
        <source>Sign in (Operator menu) to record scans.</source>
        <translation>请先登录（操作员菜单）再记录扫码。</translation>
    </message>
    <message>
        <source>The ledger is open read-only: scans are not recorded.</source>
        <translation>账本以只读方式打开：扫码不会被记录。</translation>
    </message>
    <message>
        <source>Recording as {operator} at station {station}: {step}, {disposition}.</source>
        <translation>正在记录：操作员 {operator}，工位 {station}：{step}，{disposition}。</translation>
    </message>
    <message>
        <source>✔ Recorded</source>
        <translation>✔ 已记录</translation>
    </message>
    <message>
        <source>Event {seq} is in the ledger.</source>
        <translation>事件 {seq} 已写入账本。</translation>
    </message>
    <message>
        <source>recorded</source>
        <translation>已记录</translation>
    </message>
    <message>
        <source>Already scanned: counted once</source>
        <translation>已扫过：只计一次</translation>
    </message>
    <message>
        <source>Read {n} times in a row; recorded once.</source>
        <translation>连续读取 {n} 次；只记录一次。</translation>
    </message>
    <message>
        <source>repeat</source>
        <translation>重复读取</translation>
    </message>
    <message>
        <source>✖ Not recorded: the code cannot be read as GS1</source>
        <translation>✖ 未记录：无法按 GS1 解析该编码</translation>
    </message>
    <message>
        <source>malformed</source>
        <translation>格式错误</translation>
    </message>
    <message>
        <source>✖ Not recorded: unknown product</source>
        <translation>✖ 未记录：未知产品</translation>
    </message>
    <message>
        <source>GTIN {gtin} is not in the master data. Check the label, or add the product.</source>
        <translation>GTIN {gtin} 不在主数据中。请核对标签，或添加该产品。</translation>
    </message>
    <message>
        <source>unknown product</source>
        <translation>未知产品</translation>
    </message>
    <message>
        <source>✖ Not recorded: lot expired</source>
        <translation>✖ 未记录：批次已过期</translation>
    </message>
    <message>
        <source>Lot {lot} expired on {date}.</source>
        <translation>批次 {lot} 已于 {date} 过期。</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>✖ Not recorded: already recorded here</source>
        <translation>✖ 未记录：本工位已记录过</translation>
    </message>
    <message>
        <source>This item or case was recorded at this station for this step (event {seq}).</source>
        <translation>该单品或箱已在本工位的此业务步骤记录过（事件 {seq}）。</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>✖ Not recorded: the ledger refused the write</source>
        <translation>✖ 未记录：账本拒绝写入</translation>
    </message>
    <message>
        <source>(no lot)</source>
        <translation>（无批号）</translation>
    </message>
    <message>
        <source>Case {sscc}</source>
        <translation>箱 {sscc}</translation>
    </message>
    <message>
        <source>{units} units in {lots} lots, {cases} cases this session</source>
        <translation>本次共 {units} 件，{lots} 个批次，{cases} 箱</translation>
    </message>
    <message>
        <source>Scan station</source>
        <translation>扫码工位</translation>
    </message>
    <message>
        <source>Station settings</source>
        <translation>工位设置</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>业务步骤</translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation>发往</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Use these settings</source>
        <translation>应用设置</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Counts</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>Product / case</source>
        <translation>产品 / 箱</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Recent scans</source>
        <translation>最近扫码</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Type or paste a code (GS1 element string, GTIN, SSCC or Digital Link)</source>
        <translation>输入或粘贴编码（GS1 元素串、GTIN、SSCC 或数字链接）</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Every event you record carries your name. A PIN is optional; once set, it is asked for each time.</source>
        <translation>您记录的每个事件都会带上您的姓名。PIN 码可选；设置后每次登录都需输入。</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Type your name.</source>
        <translation>请输入您的姓名。</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>PIN 码错误。</translation>
    </message>
</context>
<context>
    <name>SignalForm</name>
    <message>
        <source>Record a quality signal</source>
        <translation>登记质量信号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>报告人</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Product named by</source>
        <translation>产品识别方式</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>code scanned or typed</source>
        <translation>扫码或输入条码</translation>
    </message>
    <message>
        <source>photo of the label</source>
        <translation>标签照片</translation>
    </message>
    <message>
        <source>GTIN and lot</source>
        <translation>GTIN 与批号</translation>
    </message>
    <message>
        <source>Add file…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Choose photo…</source>
        <translation>选择照片…</translation>
    </message>
    <message>
        <source>scan the label or type the code</source>
        <translation>扫描标签或输入条码</translation>
    </message>
    <message>
        <source>a photo of the label with its barcode</source>
        <translation>带条码的标签照片</translation>
    </message>
    <message>
        <source>GTIN (8 to 14 digits)</source>
        <translation>GTIN（8 至 14 位）</translation>
    </message>
    <message>
        <source>lot number</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>who reported it (name, platform, agency)</source>
        <translation>报告人（姓名、平台、机构）</translation>
    </message>
    <message>
        <source>a known place, or type one</source>
        <translation>选择已知地点，或直接输入</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Photo of the label</source>
        <translation>标签照片</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>图片 (*.png *.jpg *.jpeg)</translation>
    </message>
</context>
<context>
    <name>TraceScreen</name>
    <message>
        <source>This code names no lot, item or case.</source>
        <translation>该编码不对应任何批次、单品或箱。</translation>
    </message>
    <message>
        <source>Tracing {start}</source>
        <translation>正在追溯 {start}</translation>
    </message>
    <message>
        <source>Lots: {lots} · places: {places} · retailers: {shops} ({units} units) · traced in {ms} ms</source>
        <translation>批次：{lots} · 地点：{places} · 零售商：{shops}（{units} 件）· 追溯耗时 {ms} 毫秒</translation>
    </message>
    <message>
        <source>start</source>
        <translation>起点</translation>
    </message>
    <message>
        <source>made at</source>
        <translation>生产于</translation>
    </message>
    <message>
        <source>shipped to</source>
        <translation>发往</translation>
    </message>
    <message>
        <source>returned to</source>
        <translation>退回至</translation>
    </message>
    <message>
        <source>used in</source>
        <translation>用于生产</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
    <message>
        <source>Mock recall of {start}: traced in {ms} ms; {pct} of the units accounted for; {shops} retailers.</source>
        <translation>{start} 模拟召回：追溯耗时 {ms} 毫秒；{pct} 的产品数量可核对；涉及 {shops} 家零售商。</translation>
    </message>
    <message>
        <source>Discrepancies: {items}</source>
        <translation>差异：{items}</translation>
    </message>
    <message>
        <source>Mock recall</source>
        <translation>模拟召回</translation>
    </message>
    <message>
        <source>Trace &amp; recall</source>
        <translation>追溯与召回</translation>
    </message>
    <message>
        <source>Scan a lot label, or type GTIN/LOT, an SGTIN or an SSCC</source>
        <translation>扫描批次标签，或输入 GTIN/批号、SGTIN 或 SSCC</translation>
    </message>
    <message>
        <source>Forward (where did it go?)</source>
        <translation>正向（去向）</translation>
    </message>
    <message>
        <source>Backward (where did it come from?)</source>
        <translation>反向（来源）</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>追溯</translation>
    </message>
    <message>
        <source>Tree</source>
        <translation>树状</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>图形</translation>
    </message>
    <message>
        <source>Retailers</source>
        <translation>零售商</translation>
    </message>
    <message>
        <source>Lot or place</source>
        <translation>批次或地点</translation>
    </message>
    <message>
        <source>How</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>已售</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>现存数量</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>Retailer</source>
        <translation>零售商</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收货数量</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Scan or type a lot to see every place it went, with quantities.</source>
        <translation>扫描或输入批次，查看它去过的每个地点及数量。</translation>
    </message>
    <message>
        <source>Open recall campaign…</source>
        <translation>发起召回活动…</translation>
    </message>
    <message>
        <source>Retailer list (CSV)</source>
        <translation>零售商清单（CSV）</translation>
    </message>
    <message>
        <source>Retailer list (Excel)</source>
        <translation>零售商清单（Excel）</translation>
    </message>
    <message>
        <source>Retailer list (PDF)</source>
        <translation>零售商清单（PDF）</translation>
    </message>
    <message>
        <source>Trace (JSON)</source>
        <translation>追溯结果（JSON）</translation>
    </message>
    <message>
        <source>Trace graph (DOT)</source>
        <translation>追溯图（DOT）</translation>
    </message>
    <message>
        <source>Key data elements, FSMA 204 (Excel)</source>
        <translation>关键数据元素，FSMA 204（Excel）</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
</context>
<context>
    <name>Vocab</name>
    <message>
        <source>accepting</source>
        <translation>验收</translation>
    </message>
    <message>
        <source>arriving</source>
        <translation>到达</translation>
    </message>
    <message>
        <source>assembling</source>
        <translation>组装</translation>
    </message>
    <message>
        <source>collecting</source>
        <translation>收集</translation>
    </message>
    <message>
        <source>commissioning</source>
        <translation>赋码</translation>
    </message>
    <message>
        <source>consigning</source>
        <translation>寄售</translation>
    </message>
    <message>
        <source>creating class instance</source>
        <translation>创建类实例</translation>
    </message>
    <message>
        <source>cycle counting</source>
        <translation>循环盘点</translation>
    </message>
    <message>
        <source>decommissioning</source>
        <translation>注销</translation>
    </message>
    <message>
        <source>departing</source>
        <translation>离开</translation>
    </message>
    <message>
        <source>destroying</source>
        <translation>销毁</translation>
    </message>
    <message>
        <source>disassembling</source>
        <translation>拆解</translation>
    </message>
    <message>
        <source>dispensing</source>
        <translation>分装</translation>
    </message>
    <message>
        <source>encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>entering / exiting</source>
        <translation>进出</translation>
    </message>
    <message>
        <source>holding</source>
        <translation>扣留</translation>
    </message>
    <message>
        <source>inspecting</source>
        <translation>检验</translation>
    </message>
    <message>
        <source>installing</source>
        <translation>安装</translation>
    </message>
    <message>
        <source>killing</source>
        <translation>灭活</translation>
    </message>
    <message>
        <source>loading</source>
        <translation>装货</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>packing</source>
        <translation>装箱</translation>
    </message>
    <message>
        <source>picking</source>
        <translation>拣货</translation>
    </message>
    <message>
        <source>receiving</source>
        <translation>收货</translation>
    </message>
    <message>
        <source>removing</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>repackaging</source>
        <translation>重新包装</translation>
    </message>
    <message>
        <source>repairing</source>
        <translation>维修</translation>
    </message>
    <message>
        <source>replacing</source>
        <translation>更换</translation>
    </message>
    <message>
        <source>reserving</source>
        <translation>预留</translation>
    </message>
    <message>
        <source>retail selling</source>
        <translation>零售</translation>
    </message>
    <message>
        <source>sampling</source>
        <translation>抽样</translation>
    </message>
    <message>
        <source>sensor reporting</source>
        <translation>传感器报告</translation>
    </message>
    <message>
        <source>shipping</source>
        <translation>发货</translation>
    </message>
    <message>
        <source>staging outbound</source>
        <translation>出库备货</translation>
    </message>
    <message>
        <source>stock taking</source>
        <translation>盘点</translation>
    </message>
    <message>
        <source>stocking</source>
        <translation>上架</translation>
    </message>
    <message>
        <source>storing</source>
        <translation>入库存储</translation>
    </message>
    <message>
        <source>transporting</source>
        <translation>运输</translation>
    </message>
    <message>
        <source>unloading</source>
        <translation>卸货</translation>
    </message>
    <message>
        <source>unpacking</source>
        <translation>拆箱</translation>
    </message>
    <message>
        <source>void shipping</source>
        <translation>取消发货</translation>
    </message>
    <message>
        <source>recalling</source>
        <translation>召回</translation>
    </message>
    <message>
        <source>active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>available</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>completeness inferred</source>
        <translation>完整性（推断）</translation>
    </message>
    <message>
        <source>completeness verified</source>
        <translation>完整性（已核验）</translation>
    </message>
    <message>
        <source>conformant</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>container closed</source>
        <translation>容器已封闭</translation>
    </message>
    <message>
        <source>container open</source>
        <translation>容器已开启</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>损坏</translation>
    </message>
    <message>
        <source>destroyed</source>
        <translation>已销毁</translation>
    </message>
    <message>
        <source>dispensed</source>
        <translation>已分装</translation>
    </message>
    <message>
        <source>disposed</source>
        <translation>已处置</translation>
    </message>
    <message>
        <source>encoded</source>
        <translation>已编码</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>in transit</source>
        <translation>在途</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>mismatch (class)</source>
        <translation>不符（类别）</translation>
    </message>
    <message>
        <source>mismatch (instance)</source>
        <translation>不符（实例）</translation>
    </message>
    <message>
        <source>mismatch (quantity)</source>
        <translation>不符（数量）</translation>
    </message>
    <message>
        <source>needs replacement</source>
        <translation>需更换</translation>
    </message>
    <message>
        <source>no pedigree match</source>
        <translation>谱系不符</translation>
    </message>
    <message>
        <source>non-conformant</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>non-sellable (other)</source>
        <translation>不可销售（其他）</translation>
    </message>
    <message>
        <source>partially dispensed</source>
        <translation>部分分装</translation>
    </message>
    <message>
        <source>recalled</source>
        <translation>已召回</translation>
    </message>
    <message>
        <source>reserved</source>
        <translation>已预留</translation>
    </message>
    <message>
        <source>retail sold</source>
        <translation>已售出</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>sellable, accessible</source>
        <translation>可销售（在架）</translation>
    </message>
    <message>
        <source>sellable, not accessible</source>
        <translation>可销售（未上架）</translation>
    </message>
    <message>
        <source>stolen</source>
        <translation>被盗</translation>
    </message>
    <message>
        <source>unavailable</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Aggregation</source>
        <translation>聚合</translation>
    </message>
    <message>
        <source>Transformation</source>
        <translation>转化</translation>
    </message>
    <message>
        <source>Transaction</source>
        <translation>交易</translation>
    </message>
    <message>
        <source>Association</source>
        <translation>关联</translation>
    </message>
    <message>
        <source>add</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>observe</source>
        <translation>观察</translation>
    </message>
    <message>
        <source>delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>incorrect data</source>
        <translation>数据有误</translation>
    </message>
    <message>
        <source>did not occur</source>
        <translation>未发生</translation>
    </message>
</context>
</TS>
