"""The demo supply chain: who makes what, who ships to whom (China, bilingual).

Fictional companies with realistic shapes: two factories (children's toys,
small kitchen appliances), their raw-material suppliers, three distribution
centres and 40+ retailers and e-commerce shops across several provinces.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tracer.gs1_check import check_digit
from tracer.model import Location, LocationKind, Party, Product


def gtin13(company_prefix: str, item: int) -> str:
    body = f"{company_prefix}{item:0{12 - len(company_prefix)}d}"
    return body + check_digit(body)


def gln(company_prefix: str, location: int) -> str:
    body = f"{company_prefix}{location:0{12 - len(company_prefix)}d}"
    return body + check_digit(body)


@dataclass(frozen=True, slots=True)
class DemoProduct:
    product: Product
    company_prefix: str
    kind: str  # "finished" or "material"
    inputs: tuple[str, ...] = ()  # GTINs of the materials it is made from
    items_per_case: int = 12
    shelf_life_days: int = 730
    serialised: bool = False  # tracked per unit (SGTIN), not only per lot


@dataclass(frozen=True, slots=True)
class DemoChain:
    suppliers: tuple[Location, ...]
    factories: tuple[Location, ...]
    warehouses: tuple[Location, ...]
    retailers: tuple[Location, ...]
    parties: tuple[Party, ...]
    products: tuple[DemoProduct, ...]

    def locations(self) -> tuple[Location, ...]:
        return self.suppliers + self.factories + self.warehouses + self.retailers

    def company_prefix_of(self, loc: Location) -> str:
        return loc.sgln.split(":")[-1].split(".")[0]


TOYS_CP = "6923456"
KITCHEN_CP = "6934567"
SUPPLIER_CPS = ("6945678", "6956789", "6967890")
DC_CP = "6978901"

# (city, city_zh, province, province_zh, phone area code)
CITIES = (
    ("Hangzhou", "杭州", "Zhejiang", "浙江省", "0571"),
    ("Ningbo", "宁波", "Zhejiang", "浙江省", "0574"),
    ("Shanghai", "上海", "Shanghai", "上海市", "021"),
    ("Nanjing", "南京", "Jiangsu", "江苏省", "025"),
    ("Suzhou", "苏州", "Jiangsu", "江苏省", "0512"),
    ("Guangzhou", "广州", "Guangdong", "广东省", "020"),
    ("Shenzhen", "深圳", "Guangdong", "广东省", "0755"),
    ("Fuzhou", "福州", "Fujian", "福建省", "0591"),
    ("Hefei", "合肥", "Anhui", "安徽省", "0551"),
    ("Wuhan", "武汉", "Hubei", "湖北省", "027"),
    ("Changsha", "长沙", "Hunan", "湖南省", "0731"),
    ("Chengdu", "成都", "Sichuan", "四川省", "028"),
    ("Chongqing", "重庆", "Chongqing", "重庆市", "023"),
    ("Jinan", "济南", "Shandong", "山东省", "0531"),
)

RETAIL_BRANDS = (
    ("Huimin Supermarket", "惠民超市", LocationKind.RETAILER),
    ("Jiajiale Mart", "家家乐超市", LocationKind.RETAILER),
    ("Tongxin Toys & Gifts", "童心玩具礼品店", LocationKind.RETAILER),
    ("Lejia Home Appliances", "乐家电器商行", LocationKind.RETAILER),
    ("Xinyue Department Store", "新悦百货", LocationKind.RETAILER),
    ("Kuaigou Online Flagship", "快购网旗舰店", LocationKind.ECOMMERCE),
)

SHOPS = (LocationKind.RETAILER, LocationKind.ECOMMERCE)
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱")
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超")
STREETS = ("人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "长江路", "文化路")


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", *GIVEN))


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def build_chain(seed: int, retailers: int = 42) -> DemoChain:
    rng = random.Random(seed)

    def place(
        cp: str, n: int, name: str, name_zh: str, kind: LocationKind, city: tuple[str, ...]
    ) -> Location:
        c_en, c_zh, p_en, p_zh, area = city
        street = rng.choice(STREETS)
        return Location(
            gln=gln(cp, n),
            name=f"{name} ({c_en})" if kind in SHOPS else name,
            name_zh=(
                f"{name_zh}（{c_zh}店）"
                if kind is LocationKind.RETAILER
                else f"{name_zh}（{c_zh}仓）"
                if kind is LocationKind.ECOMMERCE
                else name_zh
            ),
            kind=kind,
            address=f"{p_zh}{c_zh}市{street}{rng.randrange(1, 999)}号".replace("市市", "市"),
            region=p_en,
            city=c_en,
            contact=_person(rng),
            phone=f"{area}-{rng.randrange(10**7, 10**8)}" if rng.random() < 0.5 else _mobile(rng),
            email=f"qa{n}@{name.split()[0].lower()}.example.cn",
            party_gln=gln(cp, 0),
        )

    by_name = {c[0]: c for c in CITIES}
    suppliers = (
        place(
            SUPPLIER_CPS[0],
            1,
            "Yuyao Polymer Materials Co.",
            "余姚高分子材料有限公司",
            LocationKind.SUPPLIER,
            by_name["Ningbo"],
        ),
        place(
            SUPPLIER_CPS[1],
            1,
            "Dongguan Xinda Electronics Co.",
            "东莞鑫达电子有限公司",
            LocationKind.SUPPLIER,
            by_name["Shenzhen"],
        ),
        place(
            SUPPLIER_CPS[2],
            1,
            "Hefei Huaxin Paint & Packaging Co.",
            "合肥华新涂料包装有限公司",
            LocationKind.SUPPLIER,
            by_name["Hefei"],
        ),
    )
    factories = (
        place(
            TOYS_CP,
            1,
            "Ningbo Starlight Toys Co., Ltd.",
            "宁波星光玩具有限公司",
            LocationKind.FACTORY,
            by_name["Ningbo"],
        ),
        place(
            KITCHEN_CP,
            1,
            "Foshan Meichu Kitchen Appliances Co., Ltd.",
            "佛山美厨小家电有限公司",
            LocationKind.FACTORY,
            by_name["Guangzhou"],
        ),
    )
    warehouses = (
        place(
            DC_CP,
            1,
            "East China DC (Shanghai)",
            "华东配送中心（上海）",
            LocationKind.WAREHOUSE,
            by_name["Shanghai"],
        ),
        place(
            DC_CP,
            2,
            "South China DC (Guangzhou)",
            "华南配送中心（广州）",
            LocationKind.WAREHOUSE,
            by_name["Guangzhou"],
        ),
        place(
            DC_CP,
            3,
            "Southwest DC (Chengdu)",
            "西南配送中心（成都）",
            LocationKind.WAREHOUSE,
            by_name["Chengdu"],
        ),
    )
    shops = []
    for i in range(retailers):
        brand, brand_zh, kind = RETAIL_BRANDS[i % len(RETAIL_BRANDS)]
        city = CITIES[(i * 5 + i // len(RETAIL_BRANDS)) % len(CITIES)]
        cp = f"69{80 + i % len(RETAIL_BRANDS):02d}{100 + i // 7:03d}"
        shops.append(place(cp, 1 + i, brand, brand_zh, kind, city))
    parties = tuple(
        Party(gln=loc.party_gln or loc.gln, name=loc.name, name_zh=loc.name_zh, role=loc.kind.value)
        for loc in (*suppliers, *factories, *warehouses)
    )
    materials = (
        DemoProduct(
            Product(
                gtin13(SUPPLIER_CPS[0], 101),
                "ABS resin pellets, 25 kg bag",
                "ABS树脂颗粒 25千克/袋",
                "25 kg",
                "GB/T 12672-2009",
                "Yuyao Polymer",
                suppliers[0].gln,
                "bag",
            ),
            SUPPLIER_CPS[0],
            "material",
        ),
        DemoProduct(
            Product(
                gtin13(SUPPLIER_CPS[1], 201),
                "Motor control PCB assembly",
                "电机控制电路板组件",
                "PCBA-220V",
                "Q/XD 003-2024",
                "Xinda",
                suppliers[1].gln,
                "piece",
            ),
            SUPPLIER_CPS[1],
            "material",
        ),
        DemoProduct(
            Product(
                gtin13(SUPPLIER_CPS[2], 301),
                "Water-based toy paint, 5 L",
                "玩具用水性涂料 5升",
                "5 L",
                "GB 24613-2009",
                "Huaxin",
                suppliers[2].gln,
                "can",
            ),
            SUPPLIER_CPS[2],
            "material",
        ),
    )
    abs_resin, pcb, paint = (m.product.gtin for m in materials)
    finished = (
        DemoProduct(
            Product(
                gtin13(TOYS_CP, 1001),
                "Building blocks set, 120 pcs",
                "积木拼装玩具 120粒",
                "120 pcs, 3+",
                "GB 6675-2014",
                "Starlight",
                factories[0].gln,
                "box",
            ),
            TOYS_CP,
            "finished",
            (abs_resin, paint),
            12,
            3650,
        ),
        DemoProduct(
            Product(
                gtin13(TOYS_CP, 1002),
                "Pull-along wooden duck",
                "木质拖拉小鸭",
                "3+",
                "GB 6675-2014",
                "Starlight",
                factories[0].gln,
                "piece",
            ),
            TOYS_CP,
            "finished",
            (paint,),
            24,
            3650,
        ),
        DemoProduct(
            Product(
                gtin13(TOYS_CP, 1003),
                "Remote-control racing car",
                "遥控赛车",
                "2.4 GHz, 6+",
                "GB 6675-2014; GB 19865-2005",
                "Starlight",
                factories[0].gln,
                "box",
            ),
            TOYS_CP,
            "finished",
            (abs_resin, pcb, paint),
            6,
            3650,
            True,
        ),
        DemoProduct(
            Product(
                gtin13(KITCHEN_CP, 2001),
                "Electric kettle 1.7 L",
                "电热水壶 1.7升",
                "1.7 L, 1800 W",
                "GB 4706.19-2008",
                "Meichu",
                factories[1].gln,
                "box",
            ),
            KITCHEN_CP,
            "finished",
            (pcb, abs_resin),
            6,
            1825,
            True,
        ),
        DemoProduct(
            Product(
                gtin13(KITCHEN_CP, 2002),
                "Rice cooker 3 L",
                "电饭煲 3升",
                "3 L, 600 W",
                "GB 4706.19-2008",
                "Meichu",
                factories[1].gln,
                "box",
            ),
            KITCHEN_CP,
            "finished",
            (pcb, abs_resin),
            4,
            1825,
            True,
        ),
        DemoProduct(
            Product(
                gtin13(KITCHEN_CP, 2003),
                "Hand blender 400 W",
                "手持料理棒 400W",
                "400 W",
                "GB 4706.30-2008",
                "Meichu",
                factories[1].gln,
                "box",
            ),
            KITCHEN_CP,
            "finished",
            (pcb,),
            8,
            1825,
        ),
    )
    return DemoChain(suppliers, factories, warehouses, tuple(shops), parties, materials + finished)
