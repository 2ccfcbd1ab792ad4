"""Traditional → simplified characters for legal questions: 盜竊罪數額較大的標準 → 盗窃罪数额较大的标准.

A character table (data, not code paths): the characters of Chinese legal vocabulary and common
question words whose traditional form differs. Every simplified character here is the one the
corpus writes; a character not in the table is left as it is.
"""

from __future__ import annotations

# Pairs written as two aligned strings: TRADITIONAL[i] → SIMPLIFIED[i].
TRADITIONAL = (
    "條項規範華國與為於這麼個們會嗎請問題應該當對後實際損錢萬兩億數額較標準"
    "盜竊搶奪詐騙殺傷害醉駕駛車輛罰拘禁緩貪汙賄賂職務侵佔挪資產權專利標著網絡傳播電影視聽"
    "許訴訟賠償離婚撫養繼遺囑債務勞動關係僱傭辭退義員單爭議決裁認證據處罰機構"
    "經營業秘競爭誤導廣告價區域縣鄉鎮場門開關閉體醫療藥險稅費買賣貨幣銀賬號碼簽訂約"
    "違規範圍內幾時間長點號碼記錄紀書證據並從輕減罪責讓給讀寫說話讓該類別種樣麼嗎"
    "麽麼憲執檢審廳屬歸級別組織領導監護親屬夫婦妻兒孫產權財產房屋轉讓動產贈與遺產繼承"
    "訂貸質擔保險償還債權違約則屬於無效撤銷設計發明實用新型驅馳名冊註銷續營運輸進出"
    "參與過錯誤節嚴重較輕濟損失補償給付勞務報酬薪資獎懲勸導訓練師範學習辦負責"
)
SIMPLIFIED = (
    "条项规范华国与为于这么个们会吗请问题应该当对后实际损钱万两亿数额较标准"
    "盗窃抢夺诈骗杀伤害醉驾驶车辆罚拘禁缓贪污贿赂职务侵占挪资产权专利标著网络传播电影视听"
    "许诉讼赔偿离婚抚养继遗嘱债务劳动关系雇佣辞退义员单争议决裁认证据处罚机构"
    "经营业秘竞争误导广告价区域县乡镇场门开关闭体医疗药险税费买卖货币银账号码签订约"
    "违规范围内几时间长点号码记录纪书证据并从轻减罪责让给读写说话让该类别种样么吗"
    "么么宪执检审厅属归级别组织领导监护亲属夫妇妻儿孙产权财产房屋转让动产赠与遗产继承"
    "订贷质担保险偿还债权违约则属于无效撤销设计发明实用新型驱驰名册注销续营运输进出"
    "参与过错误节严重较轻济损失补偿给付劳务报酬薪资奖惩劝导训练师范学习办负责"
)
if len(TRADITIONAL) != len(SIMPLIFIED):  # the two strings must stay aligned
    raise AssertionError("traditional/simplified tables differ in length")
_TABLE = str.maketrans({t: s for t, s in zip(TRADITIONAL, SIMPLIFIED, strict=True) if t != s})


def to_simplified(text: str) -> str:
    """`text` with the traditional characters of the table replaced by their simplified forms."""
    return text.translate(_TABLE)
