"""seed_demo step: the province's 109 warning points and a demo user for every role.

The points are the seed's (舟山市水产品对外贸易预警点, 建德精细化工产品对外贸易预警示范点,
庆元铅笔对外贸易预警示范点 …) plus points invented from each city's real export
industries, spread over all 11 cities. Each point gets its host organisation
(行业协会), 预警负责人 with phones, 工作人员, 联系企业 and a 领导小组; three are
still 筹建 and one is 撤销. People, phones and enterprises are invented.

Points are validated with full_clean() (the admin form's validators) and
their creation is logged in the change history, as in the admin.

Idempotent: a point that already exists (by name) and a user that already
exists (by username) are left alone. Deterministic: every point draws from
its own random.Random seeded with SEED and its name, so one point's data does
not depend on which others exist.
"""

import random
import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.urls import reverse

from warning import history
from warning.demo.indexing import indexing_deferred
from warning.models import (
    City,
    ContactEnterprise,
    District,
    Industry,
    LeadershipMember,
    Profile,
    ResponsiblePerson,
    StaffMember,
    WarningPoint,
)
from warning.models.profiles import GROUP_CITY_REVIEWER, GROUP_MAGAZINE, GROUP_POINT_EDITOR, GROUP_PROVINCIAL
from warning.site_url import absolute_url

SEED = 20260226
DEMO_PASSWORD = "demo12345"
ADMIN_USERNAME = "admin"
PROVINCIAL_USERNAME = "province"
MAGAZINE_USERNAME = "magazine"
CITY_USERNAMES = {
    "杭州市": "city_hangzhou",
    "宁波市": "city_ningbo",
    "温州市": "city_wenzhou",
    "嘉兴市": "city_jiaxing",
    "湖州市": "city_huzhou",
    "绍兴市": "city_shaoxing",
    "金华市": "city_jinhua",
    "衢州市": "city_quzhou",
    "舟山市": "city_zhoushan",
    "台州市": "city_taizhou",
    "丽水市": "city_lishui",
}
AREA_CODES = {
    "杭州市": "0571",
    "宁波市": "0574",
    "温州市": "0577",
    "嘉兴市": "0573",
    "湖州市": "0572",
    "绍兴市": "0575",
    "金华市": "0579",
    "衢州市": "0570",
    "舟山市": "0580",
    "台州市": "0576",
    "丽水市": "0578",
}

PREPARING = {"淳安千岛湖鱼产品对外贸易预警点", "泰顺竹木制品对外贸易预警点", "仙居工艺品对外贸易预警点"}
REVOKED = {"上虞伞业对外贸易预警点"}

# city → [(district, 预警点名称, 承办单位, 所属行业, word for enterprise names, main products)]
# The first point is 建德's, so its editor is point001.
CATALOGUE = {
    "杭州市": [
        ("建德市", "建德精细化工产品对外贸易预警示范点", "建德市化工行业协会", "化工", "化工", "有机硅、农药中间体"),
        ("桐庐县", "桐庐笔业对外贸易预警示范点", "桐庐县制笔行业协会", "轻工", "制笔", "圆珠笔、中性笔"),
        (
            "上城区",
            "杭州市江干区电梯及工具对外贸易预警示范点",
            "杭州市江干区机电行业协会",
            "机电",
            "电梯",
            "电梯、手动工具",
        ),
        (
            "余杭区",
            "余杭家纺产品对外贸易预警示范点",
            "杭州市余杭区家纺行业协会",
            "纺织服装",
            "家纺",
            "窗帘布艺、沙发布",
        ),
        (
            "临安区",
            "临安电缆产品对外贸易预警示范点",
            "杭州市临安区电线电缆行业协会",
            "机电",
            "电缆",
            "电力电缆、通信线缆",
        ),
        ("西湖区", "浙江省茶叶对外贸易预警示范点", "浙江省茶叶进出口商会", "农产品", "茶业", "绿茶、珠茶"),
        ("上城区", "浙江省农产品对外贸易预警示范点", "浙江省农产品进出口企业协会", "农产品", "农产", "蔬菜罐头、干果"),
        ("拱墅区", "浙江省水海产品对外贸易预警示范点", "浙江省水产流通与加工协会", "水产品", "水产", "冻鱼片、虾仁"),
        ("西湖区", "杭州市太阳能光伏产业对外贸易预警示范点", "杭州市光伏行业协会", "机电", "光伏", "光伏组件、逆变器"),
        ("富阳区", "富阳化纤产品对外贸易预警示范点", "杭州市富阳区化纤行业协会", "纺织服装", "化纤", "涤纶长丝、锦纶"),
        (
            "富阳区",
            "富阳区体育用品对外贸易预警示范点",
            "杭州市富阳区体育用品行业协会",
            "轻工",
            "体育用品",
            "羽毛球拍、健身器材",
        ),
        (
            "钱塘区",
            "杭州经济技术开发区生化医药出口对外贸易预警示范点",
            "杭州经济技术开发区医药行业协会",
            "医药",
            "生物医药",
            "原料药、医药中间体",
        ),
        ("萧山区", "萧山化纤纺织对外贸易预警点", "杭州市萧山区纺织行业协会", "纺织服装", "纺织", "化纤面料、经编布"),
        ("淳安县", "淳安千岛湖鱼产品对外贸易预警点", "淳安县渔业协会", "水产品", "渔业", "有机鱼、鱼干制品"),
    ],
    "宁波市": [
        ("鄞州区", "宁波半导体产业对外贸易预警示范点", "宁波电子行业协会", "机电", "电子", "集成电路、功率器件"),
        ("海曙区", "宁波市服装行业对外贸易预警示范点", "宁波市服装协会", "纺织服装", "服饰", "西服、衬衫"),
        ("鄞州区", "宁波市文具对外贸易预警示范点", "宁波市文具行业协会", "轻工", "文具", "办公文具、学生用品"),
        ("慈溪市", "慈溪家电对外贸易预警示范点", "慈溪市家用电器行业协会", "机电", "电器", "小家电、取暖器"),
        ("余姚市", "余姚塑料模具对外贸易预警点", "余姚市模具行业协会", "机电", "模具", "注塑模具、塑料制品"),
        ("宁海县", "宁海灯具对外贸易预警点", "宁海县灯具行业协会", "轻工", "灯具", "LED灯具、户外照明"),
        ("象山县", "象山针织服装对外贸易预警点", "象山县针织行业协会", "纺织服装", "针织", "针织内衣、T恤"),
        ("北仑区", "北仑模具对外贸易预警示范点", "宁波市北仑区模具行业协会", "机电", "模具", "压铸模具、汽车模具"),
        ("奉化区", "奉化气动元件对外贸易预警点", "宁波市奉化区气动行业协会", "机电", "气动", "气缸、电磁阀"),
        (
            "江北区",
            "宁波市汽车零部件对外贸易预警示范点",
            "宁波市汽车零部件产业协会",
            "汽车及零部件",
            "汽配",
            "汽车内饰件、制动系统",
        ),
        ("镇海区", "镇海化工新材料对外贸易预警点", "宁波市镇海区化工行业协会", "化工", "化工", "合成树脂、精细化学品"),
        ("象山县", "宁波市水产品对外贸易预警点", "宁波市水产加工行业协会", "水产品", "水产", "梭子蟹、冻鱿鱼"),
    ],
    "温州市": [
        ("鹿城区", "温州市服装行业对外贸易预警示范点", "温州市服装商会", "纺织服装", "服饰", "男装、休闲服"),
        ("鹿城区", "温州市鞋产品对外贸易预警示范点", "温州市鞋革行业协会", "轻工", "鞋业", "皮鞋、休闲鞋"),
        (
            "瑞安市",
            "瑞安汽摩配对外贸易预警示范点",
            "瑞安市汽车摩托车配件行业协会",
            "汽车及零部件",
            "汽摩配",
            "汽车电器、摩托车配件",
        ),
        ("乐清市", "乐清电气对外贸易预警示范点", "乐清市电气行业协会", "机电", "电气", "低压电器、开关"),
        ("永嘉县", "永嘉泵阀对外贸易预警点", "永嘉县泵阀行业协会", "机电", "泵阀", "离心泵、球阀"),
        ("平阳县", "平阳包装机械对外贸易预警点", "平阳县包装机械行业协会", "机电", "机械", "包装机、制袋机"),
        ("苍南县", "苍南印刷包装对外贸易预警点", "苍南县印刷包装行业协会", "轻工", "印刷", "包装盒、标签"),
        ("龙湾区", "龙湾阀门对外贸易预警点", "温州市龙湾区阀门行业协会", "机电", "阀门", "闸阀、蝶阀"),
        ("瓯海区", "温州市眼镜行业对外贸易预警示范点", "温州市眼镜商会", "轻工", "眼镜", "太阳镜、光学镜架"),
        ("鹿城区", "温州市打火机行业对外贸易预警示范点", "温州市烟具行业协会", "轻工", "烟具", "打火机、点火枪"),
        ("龙港市", "龙港印刷礼品对外贸易预警点", "龙港市印刷礼品行业协会", "轻工", "礼品", "无纺布袋、礼品包装"),
        ("泰顺县", "泰顺竹木制品对外贸易预警点", "泰顺县竹木制品协会", "轻工", "竹木", "竹木餐具、家居用品"),
    ],
    "嘉兴市": [
        ("海宁市", "海宁皮革对外贸易预警示范点", "海宁市皮革行业协会", "轻工", "皮革", "皮衣、皮革制品"),
        ("海宁市", "海宁经编对外贸易预警点", "海宁市经编行业协会", "纺织服装", "经编", "经编面料、汽车内饰布"),
        ("桐乡市", "桐乡毛衫对外贸易预警示范点", "桐乡市羊毛衫行业协会", "纺织服装", "毛衫", "羊毛衫、针织毛衫"),
        ("平湖市", "平湖服装对外贸易预警点", "平湖市服装行业协会", "纺织服装", "服装", "羽绒服、童装"),
        ("平湖市", "平湖箱包对外贸易预警点", "平湖市箱包行业协会", "轻工", "箱包", "拉杆箱、背包"),
        ("嘉善县", "嘉善木业对外贸易预警示范点", "嘉善县木业行业协会", "轻工", "木业", "胶合板、木门"),
        ("海盐县", "海盐紧固件对外贸易预警示范点", "海盐县紧固件行业协会", "五金", "紧固件", "螺栓、螺母"),
        ("秀洲区", "秀洲光伏对外贸易预警点", "嘉兴市秀洲区光伏行业协会", "机电", "光伏", "光伏电池片、组件"),
        ("南湖区", "嘉兴市化工新材料对外贸易预警点", "嘉兴市化工行业协会", "化工", "新材料", "功能薄膜、助剂"),
    ],
    "湖州市": [
        ("安吉县", "安吉办公家具对外贸易预警点", "安吉县椅业协会", "轻工", "椅业", "办公椅、沙发"),
        ("安吉县", "安吉竹制品对外贸易预警示范点", "安吉县竹产业协会", "轻工", "竹业", "竹地板、竹制家居"),
        (
            "德清县",
            "德清轻质金属户外用品对外贸易预警点",
            "德清县户外用品行业协会",
            "五金",
            "户外用品",
            "折叠桌椅、帐篷支架",
        ),
        (
            "吴兴区",
            "吴兴区金属材料产业对外贸易预警示范点",
            "湖州市吴兴区外经贸企业协会",
            "五金",
            "金属",
            "不锈钢管、铝型材",
        ),
        ("吴兴区", "吴兴区服装(童装)对外贸易预警点", "湖州市吴兴区童装行业协会", "纺织服装", "童装", "童装、婴儿服饰"),
        ("长兴县", "长兴蓄电池对外贸易预警示范点", "长兴县蓄电池行业协会", "机电", "电池", "铅酸蓄电池、锂电池"),
        ("长兴县", "长兴纺织对外贸易预警点", "长兴县纺织行业协会", "纺织服装", "纺织", "坯布、化纤面料"),
        ("南浔区", "南浔木地板对外贸易预警点", "湖州市南浔区木业协会", "轻工", "木业", "实木地板、复合地板"),
        ("南浔区", "南浔电梯对外贸易预警点", "湖州市南浔区电梯行业协会", "机电", "电梯", "乘客电梯、扶梯"),
    ],
    "绍兴市": [
        ("柯桥区", "柯桥纺织品对外贸易预警示范点", "绍兴市柯桥区纺织行业协会", "纺织服装", "纺织", "化纤面料、印染布"),
        ("诸暨市", "诸暨袜业对外贸易预警示范点", "诸暨市袜业协会", "纺织服装", "袜业", "棉袜、丝袜"),
        ("诸暨市", "诸暨珍珠对外贸易预警点", "诸暨市珍珠行业协会", "轻工", "珍珠", "淡水珍珠、饰品"),
        ("嵊州市", "嵊州领带对外贸易预警示范点", "嵊州市领带行业协会", "纺织服装", "领带", "真丝领带、围巾"),
        ("嵊州市", "嵊州厨具对外贸易预警点", "嵊州市厨具行业协会", "机电", "厨具", "集成灶、油烟机"),
        ("上虞区", "上虞精细化工对外贸易预警示范点", "绍兴市上虞区化工行业协会", "化工", "化工", "染料、医药中间体"),
        ("上虞区", "上虞伞业对外贸易预警点", "绍兴市上虞区伞业协会", "轻工", "伞业", "晴雨伞、伞骨"),
        ("新昌县", "新昌轴承对外贸易预警点", "新昌县轴承行业协会", "机电", "轴承", "轴承套圈、滚动轴承"),
        ("新昌县", "新昌医药对外贸易预警点", "新昌县医药行业协会", "医药", "药业", "维生素、原料药"),
        ("越城区", "绍兴黄酒对外贸易预警点", "绍兴市黄酒行业协会", "农产品", "酿酒", "黄酒、料酒"),
    ],
    "金华市": [
        ("义乌市", "义乌市化妆品行业对外贸易预警点", "义乌市化妆品行业协会", "轻工", "化妆品", "彩妆、护肤品"),
        ("义乌市", "义乌市拉链行业对外贸易预警点", "义乌市拉链行业协会", "轻工", "拉链", "尼龙拉链、金属拉链"),
        ("义乌市", "义乌市无缝织造对外贸易预警点", "义乌市无缝针织行业协会", "纺织服装", "针织", "无缝内衣、运动服"),
        ("义乌市", "义乌针织品对外贸易预警示范点", "义乌市袜业行业协会", "纺织服装", "袜业", "袜子、针织手套"),
        (
            "金东区",
            "金华市电动汽车行业对外贸易预警示范点",
            "金华市汽车摩托车行业协会",
            "汽车及零部件",
            "汽车",
            "电动汽车、电动摩托车",
        ),
        ("永康市", "永康五金对外贸易预警示范点", "永康市五金行业协会", "五金", "五金", "不锈钢器皿、门业"),
        ("永康市", "永康电动工具对外贸易预警点", "永康市电动工具行业协会", "机电", "工具", "电钻、园林工具"),
        ("东阳市", "东阳磁性材料对外贸易预警点", "东阳市磁性材料行业协会", "机电", "磁业", "永磁铁氧体、磁芯"),
        ("东阳市", "东阳红木家具对外贸易预警点", "东阳市红木家具行业协会", "轻工", "家具", "红木家具、木雕"),
        ("浦江县", "浦江水晶对外贸易预警点", "浦江县水晶行业协会", "轻工", "水晶", "水晶饰品、灯饰配件"),
        ("武义县", "武义文具旅游用品对外贸易预警点", "武义县文具旅游用品行业协会", "轻工", "旅游用品", "保温杯、文具"),
        ("兰溪市", "兰溪棉纺织对外贸易预警点", "兰溪市纺织行业协会", "纺织服装", "棉纺", "棉布、牛仔布"),
    ],
    "衢州市": [
        ("柯城区", "衢州氟硅化工对外贸易预警示范点", "衢州市氟硅行业协会", "化工", "氟化工", "含氟聚合物、有机硅"),
        ("江山市", "江山木门对外贸易预警示范点", "江山市木门行业协会", "轻工", "木门", "实木门、复合门"),
        ("龙游县", "龙游特种纸对外贸易预警点", "龙游县造纸行业协会", "轻工", "纸业", "特种纸、装饰原纸"),
        ("常山县", "常山胡柚对外贸易预警点", "常山县胡柚产业协会", "农产品", "果业", "胡柚、果脯"),
        ("开化县", "开化茶叶对外贸易预警点", "开化县茶叶行业协会", "农产品", "茶业", "龙顶茶、绿茶"),
        ("衢江区", "衢州市空气压缩机对外贸易预警点", "衢州市压缩机行业协会", "机电", "压缩机", "空气压缩机、空压配件"),
        ("柯城区", "衢州市轴承对外贸易预警点", "衢州市轴承行业协会", "机电", "轴承", "深沟球轴承、汽车轴承"),
    ],
    "舟山市": [
        ("定海区", "舟山市水产品对外贸易预警点", "舟山市水产流通与加工行业协会", "水产品", "水产", "冻鱿鱼、鱼糜制品"),
        ("定海区", "舟山市出口船舶对外贸易预警点", "舟山市船舶工业行业协会", "机电", "船舶", "散货船、船舶修造"),
        ("岱山县", "舟山市油品对外贸易预警点", "舟山市石油流通行业协会", "化工", "石化", "燃料油、成品油"),
        ("嵊泗县", "嵊泗县贻贝行业对外贸易预警点", "嵊泗县贻贝行业协会", "水产品", "海产", "贻贝、贻贝干"),
        ("普陀区", "普陀远洋渔业对外贸易预警点", "舟山市普陀区远洋渔业协会", "水产品", "远洋渔业", "金枪鱼、鱿鱼"),
        ("定海区", "定海螺杆对外贸易预警点", "舟山市定海区螺杆行业协会", "机电", "螺杆", "注塑机螺杆、机筒"),
    ],
    "台州市": [
        (
            "临海市",
            "临海庭院休闲用品行业对外贸易预警点",
            "临海市休闲用品行业协会",
            "轻工",
            "休闲用品",
            "户外家具、遮阳伞",
        ),
        ("临海市", "临海节日灯对外贸易预警示范点", "临海市灯饰礼品行业协会", "轻工", "灯饰", "圣诞灯串、装饰灯"),
        ("黄岩区", "黄岩圣诞用品对外贸易预警点", "台州市黄岩区工艺礼品行业协会", "轻工", "工艺品", "圣诞树、节日装饰"),
        (
            "黄岩区",
            "黄岩注塑模具行业对外贸易预警点",
            "台州市黄岩区模具行业协会",
            "机电",
            "模具",
            "注塑模具、日用品模具",
        ),
        ("温岭市", "温岭泵业对外贸易预警示范点", "温岭市泵业行业协会", "机电", "泵业", "小型水泵、潜水泵"),
        ("温岭市", "温岭鞋业对外贸易预警点", "温岭市鞋业行业协会", "轻工", "鞋业", "注塑鞋、运动鞋"),
        ("玉环市", "玉环阀门对外贸易预警示范点", "玉环市阀门行业协会", "机电", "阀门", "铜阀门、水暖管件"),
        (
            "路桥区",
            "路桥摩托车对外贸易预警点",
            "台州市路桥区摩托车行业协会",
            "汽车及零部件",
            "摩托车",
            "摩托车、电动车",
        ),
        ("椒江区", "椒江医药化工对外贸易预警示范点", "台州市椒江区医药化工行业协会", "医药", "药业", "原料药、制剂"),
        (
            "天台县",
            "天台汽车用品对外贸易预警点",
            "天台县汽车用品行业协会",
            "汽车及零部件",
            "汽车用品",
            "汽车坐垫、脚垫",
        ),
        ("仙居县", "仙居工艺品对外贸易预警点", "仙居县工艺品行业协会", "轻工", "工艺品", "木制工艺品、竹编"),
    ],
    "丽水市": [
        ("庆元县", "庆元铅笔对外贸易预警示范点", "庆元县铅笔协会", "轻工", "铅笔", "木制铅笔、彩色铅笔"),
        ("龙泉市", "龙泉青瓷宝剑对外贸易预警点", "龙泉市青瓷宝剑产业协会", "轻工", "青瓷", "青瓷、宝剑"),
        ("青田县", "青田石雕对外贸易预警点", "青田县石雕行业协会", "轻工", "石雕", "石雕工艺品、印章"),
        ("缙云县", "缙云带锯床对外贸易预警点", "缙云县机床行业协会", "机电", "机床", "带锯床、锯条"),
        ("云和县", "云和木制玩具对外贸易预警示范点", "云和县木制玩具行业协会", "轻工", "玩具", "木制玩具、益智积木"),
        ("遂昌县", "遂昌金属制品对外贸易预警点", "遂昌县金属制品行业协会", "五金", "金属制品", "不锈钢制品、金属线材"),
        ("莲都区", "丽水市合成革对外贸易预警点", "丽水市合成革行业协会", "化工", "合成革", "PU合成革、超纤革"),
    ],
}

# What the seed shows of 庆元's record is used as is.
SEED_DETAILS = {
    "庆元铅笔对外贸易预警示范点": {
        "established_year": 2015,
        "approval_number": "{2015}3号",
        "address": "庆元县松源街道陈南东中路169号(过境公路新食代四楼)",
        "phone": "0578-6011987",
        "fax": "0578-6011987",
        "website": "http://qyqbxh.com/",
        "enterprise_count": 19,
    },
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆汪范金方"
GIVEN_NAMES = (
    "建华 国强 志刚 丽华 晓明 海燕 秀英 建平 伟 芳 敏 静 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 桂英 "
    "建国 红燕 立民 永红 跃林 建清 胜利 榕芳 文华 雪梅 晓峰 志远 国平 美玲 春燕 海军 宏伟 晓东 丹丹 婷婷"
).split()
BRANDS = (
    "恒达 华盛 宏源 金鹰 天工 新丰 永兴 瑞丰 鑫达 东方 海天 远大 万通 佳美 正泰 嘉利 富达 联合 三星 明辉 "
    "荣盛 华宇 中天 兴业 丰华 凯达 国泰 长城 宝利 德胜 利民 金盛 新光 华峰 伟业 欣昌 华意 日升 振兴 锦华"
).split()
ROADS = "人民路 解放路 中山路 建设路 文化路 工业路 商贸路 兴业路 江滨路 迎宾大道 经济开发区纬三路 创业大道".split()
RESPONSIBLE_TITLES = ("秘书长", "会长", "副会长", "常务副会长", "副秘书长")
STAFF_TITLES = ("办公室主任", "信息员", "联络员", "干事", "外贸服务部主任")
ENTERPRISE_TITLES = ("董事长", "总经理", "副总经理", "外贸部经理")


def _name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _mobile(rng):
    return "1" + rng.choice("35789") + "".join(rng.choice("0123456789") for _ in range(9))


def _office_phone(rng, area_code):
    return f"{area_code}-{rng.choice('2345678')}{rng.randrange(1000000, 9999999)}"


def _place(name):
    """The short place name a point's enterprises carry: 建德, 义乌 …"""
    for suffix in ("自治县", "市", "县", "区"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _catalogue(per_city=None):
    """(index, city, district, name, host, industry, word, products), in the order of the logins.

    per_city keeps only the first N points of each city (a smaller province for
    quick runs and tests); the indexes, hence the usernames, stay those of the
    whole catalogue.
    """
    index = 0
    for city, entries in CATALOGUE.items():
        for position, (district, name, host, industry, word, products) in enumerate(entries):
            index += 1
            if per_city is None or position < per_city:
                yield index, city, district, name, host, industry, word, products


def _point_fields(rng, index, city, district, name, host, industry):
    demonstration = name.endswith("示范点")
    if name in PREPARING:
        batch, year = 7, 2025
    else:
        batch = rng.randint(1, 3) if demonstration else rng.randint(2, 6)
        year = 2008 + 2 * batch + rng.randint(0, 1)
    if demonstration:
        category = WarningPoint.Category.PROVINCIAL
    else:
        category = rng.choices(
            [WarningPoint.Category.PROVINCIAL, WarningPoint.Category.MUNICIPAL, WarningPoint.Category.COUNTY],
            weights=[70, 25, 5],
        )[0]
    area = AREA_CODES[city]
    phone = _office_phone(rng, area)
    fields = {
        "name": name,
        "host_organisation": host,
        "category": category,
        "batch": batch,
        "established_year": year,
        "approval_number": "" if name in PREPARING else f"浙商务外贸〔{year}〕{rng.randint(3, 60)}号",
        "address": f"{city}{district}{rng.choice(ROADS)}{rng.randint(1, 399)}号",
        "phone": phone,
        "fax": phone if rng.random() < 0.6 else "",
        "website": f"http://yj{index:03d}.zjtrade.org.cn/" if rng.random() < 0.5 else "",
        "email": f"yujing{index:03d}@zjtrade.org.cn",
        "status": (
            WarningPoint.Status.PREPARING
            if name in PREPARING
            else WarningPoint.Status.REVOKED
            if name in REVOKED
            else WarningPoint.Status.OFFICIAL
        ),
        "district": district,
        "industry": industry,
        "has_party_organisation": rng.random() < 0.6,
    }
    fields["party_member_count"] = (
        rng.randint(3, 40) if fields["has_party_organisation"] else rng.choice([None, 0, 1, 2])
    )
    details = dict(SEED_DETAILS.get(name, {}))
    details.pop("enterprise_count", None)
    fields.update(details)
    return fields


def _save_valid(row):
    """Save a row after the same validation the admin form applies (phones, e-mails, lengths)."""
    row.full_clean()
    row.save()
    return row


def _create_point(index, city, district, name, host, industry, word, products):
    """Create one point with its people, enterprises and leadership group; log its creation."""
    rng = random.Random(f"{SEED}-{name}")
    fields = _point_fields(rng, index, city, district, name, host, industry)
    point = _save_valid(WarningPoint(**fields))

    area = AREA_CODES[city]
    place = _place(district.name)
    for order in range(rng.choice([1, 1, 2])):
        _save_valid(
            ResponsiblePerson(
                point=point,
                sort_order=order,
                name=_name(rng),
                title=RESPONSIBLE_TITLES[order] if order else rng.choice(RESPONSIBLE_TITLES[:2]),
                phone=_office_phone(rng, area),
                mobile=_mobile(rng),
                email=f"fzr{index:03d}{order}@zjtrade.org.cn",
            )
        )
    for order in range(rng.randint(1, 3)):
        _save_valid(
            StaffMember(
                point=point,
                sort_order=order,
                name=_name(rng),
                title=rng.choice(STAFF_TITLES),
                phone=_office_phone(rng, area),
                mobile=_mobile(rng) if rng.random() < 0.7 else "",
            )
        )

    count = SEED_DETAILS.get(name, {}).get("enterprise_count") or rng.randint(3, 12)
    brands = rng.sample(BRANDS, count)
    enterprises = []
    for order, brand in enumerate(brands):
        enterprise = ContactEnterprise(
            point=point,
            sort_order=order,
            name=f"{'浙江' if rng.random() < 0.3 else place}{brand}{word}有限公司",
            contact=_name(rng),
            phone=_mobile(rng) if rng.random() < 0.5 else _office_phone(rng, area),
            products=products,
        )
        enterprises.append(_save_valid(enterprise))

    members = [
        (LeadershipMember.Role.LEADER, "会长", host),
        (LeadershipMember.Role.DEPUTY, "副局长", f"{district.name}商务局"),
    ]
    for enterprise in enterprises[: rng.randint(2, 4)]:
        members.append((LeadershipMember.Role.MEMBER, rng.choice(ENTERPRISE_TITLES), enterprise.name))
    for order, (role, position, organisation) in enumerate(members):
        _save_valid(
            LeadershipMember(
                point=point, sort_order=order, role=role, name=_name(rng), position=position, organisation=organisation
            )
        )

    history.record_creation(point)
    return point


class _Users:
    """Creates demo users on first need, hashing the shared demo password once."""

    def __init__(self):
        self._hash = None
        self.created = 0

    def ensure(self, username, first_name, group=None, point=None, city=None, superuser=False):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None:
            # Re-bind a demo user whose point was deleted and seeded again.
            if (point is not None or city is not None) and not Profile.objects.filter(user=user).exists():
                Profile.objects.create(user=user, point=point, city=city)
            return user
        if self._hash is None:
            self._hash = make_password(DEMO_PASSWORD)
        user = User(
            username=username,
            first_name=first_name,
            password=self._hash,
            is_superuser=superuser,
            is_staff=superuser,
        )
        user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
        if point is not None or city is not None:
            Profile.objects.create(user=user, point=point, city=city)
        self.created += 1
        return user


def point_usernames():
    """Username of each catalogue point's editor: point001, point002 …, keyed by point name."""
    return {name: f"point{index:03d}" for index, _c, _d, name, *_rest in _catalogue()}


def run(stdout, per_city=None):
    """Create the demo points and users that do not exist yet (the first per_city of each city if given)."""
    districts = {(d.city.name, d.name): d for d in District.objects.select_related("city")}
    industries = {i.name: i for i in Industry.objects.all()}
    existing = set(WarningPoint.objects.values_list("name", flat=True))
    users = _Users()
    created_points = 0
    for index, city, district, name, host, industry, word, products in _catalogue(per_city):
        if name in existing:
            point = WarningPoint.objects.get(name=name)
        else:
            # Its rows and subsite pages are indexed once each, not on every save.
            with indexing_deferred():
                point = _create_point(
                    index, city, districts[(city, district)], name, host, industries[industry], word, products
                )
            created_points += 1
        staff = point.staff_members.first()
        users.ensure(f"point{index:03d}", staff.name if staff else "", group=GROUP_POINT_EDITOR, point=point)

    users.ensure(ADMIN_USERNAME, "系统管理员", superuser=True)
    users.ensure(PROVINCIAL_USERNAME, "陈静", group=GROUP_PROVINCIAL)
    users.ensure(MAGAZINE_USERNAME, "刘洋", group=GROUP_MAGAZINE)
    for city in City.objects.all():
        rng = random.Random(f"{SEED}-{city.name}")
        users.ensure(CITY_USERNAMES[city.name], _name(rng), group=GROUP_CITY_REVIEWER, city=city)

    stdout.write(
        f"预警点：新建 {created_points} 个，共 {WarningPoint.objects.count()} 个；演示用户：新建 {users.created} 个\n"
    )


def _width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text, width):
    return text + " " * (width - _width(text))


def login_rows():
    """(角色, 用户名, 密码, 能看到什么) of every demo login, in the order they are printed."""
    first_point = next(_catalogue())
    rows = [
        ("超级管理员", ADMIN_USERNAME, DEMO_PASSWORD, "Wagtail 全部功能（含用户与权限管理）"),
        ("预警工作联系人", PROVINCIAL_USERNAME, DEMO_PASSWORD, "全省所有预警点：审核、统计、预警点管理、导出"),
        (
            "期刊杂志编辑",
            MAGAZINE_USERNAME,
            DEMO_PASSWORD,
            "期刊杂志：季度分析与推荐预警信息的录用；不能访问预警点管理",
        ),
    ]
    for city, username in CITY_USERNAMES.items():
        rows.append(
            (f"地市审核员（{city}）", username, DEMO_PASSWORD, f"仅{city}的预警点（只读）及其上报信息的地市审核")
        )
    rows.append(("预警点用户", f"point{first_point[0]:03d}", DEMO_PASSWORD, f"仅本预警点：{first_point[3]}"))
    last = sum(len(entries) for entries in CATALOGUE.values())
    rows.append(
        (
            "预警点用户（其余）",
            f"point{first_point[0] + 1:03d} … point{last:03d}",
            DEMO_PASSWORD,
            "各自一个预警点（对应关系见“预警点管理”）",
        )
    )
    return rows


def print_logins(stdout):
    """Print the demo logins as a table (role, username, password, what they see)."""
    header = ("角色", "用户名", "密码", "能看到什么")
    rows = login_rows()
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(3)]
    stdout.write("\n")
    login_url = absolute_url(reverse("wagtailadmin_login"))
    stdout.write(f"演示账号（登录地址 {login_url} ，所有账号密码均为 {DEMO_PASSWORD}）：\n")
    for row in [header, *rows]:
        stdout.write("  " + "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3] + "\n")
