#!/usr/bin/env python3
"""Builds assets/input/pinyin_words.tsv: the on-screen pinyin keyboard's word list.

Single characters: the 3,755 level-1 characters of GB 2312 (the common ones), every reading; address
characters first within a syllable. Phrases: place names and address words. Pinyin by pypinyin (a build-time
tool only; the kiosk reads the TSV).
"""
import sys
from collections import defaultdict

from pypinyin import Style, lazy_pinyin, pinyin

ADDRESS_CHARS = "省市区县镇乡村路街道巷弄号楼栋单元室层院园里坊区小新中东南西北大上下前后一二三四五六七八九十百号"
PLACES = """北京 天津 上海 重庆 河北 山西 内蒙古 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 广西
海南 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 香港 澳门 台湾 北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省
黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 山东省 河南省 湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省
青海省 石家庄 太原 呼和浩特 沈阳 大连 长春 哈尔滨 南京 苏州 无锡 杭州 宁波 合肥 福州 厦门 南昌 济南 青岛 郑州 武汉
长沙 广州 深圳 珠海 东莞 佛山 南宁 海口 成都 贵阳 昆明 拉萨 西安 兰州 西宁 银川 乌鲁木齐 南京市 苏州市 杭州市 广州市
深圳市 成都市 武汉市 西安市 朝阳区 海淀区 东城区 西城区 丰台区 石景山区 通州区 昌平区 大兴区 顺义区 房山区 门头沟区
徐汇区 黄浦区 静安区 长宁区 浦东新区 闵行区 宝山区 杨浦区 虹口区 普陀区 玄武区 秦淮区 鼓楼区 建邺区 天河区 越秀区
海珠区 白云区 南山区 福田区 罗湖区 宝安区 龙岗区 武侯区 锦江区 青羊区 金牛区 成华区 高新区 建国路 建国门 长安街
中关村 中关村大街 漕溪北路 人民南路 中山路 解放路 人民路 和平路 胜利路 科技园 科技园南路 南京路 淮海路 世纪大道
大街 大道 胡同 小区 花园 公寓 大厦 广场 新村 社区 街道 开发区 工业园 工业区 高新区 经济技术开发区 中路 东路 西路 南路
北路 东街 西街 南街 北街 号院 号楼 单元 一单元 二单元 三单元 室 层 栋 幢 座 期 村委会 居委会 镇政府 附近 对面 旁边
宿舍 家属院 学校 医院 公司 银行 市场 商场 车站 机场 火车站 地铁站 楼下 门口 国贸 望京 三里屯 回龙观 天通苑 五道口
上地 西二旗 亦庄 望京西园 建外 光华路 东三环 西三环 南三环 北三环 二环 三环 四环 五环""".split()


def main(out):
    words = defaultdict(list)
    chars = [bytes([hi, lo]).decode("gb2312") for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF)
             if not (hi == 0xD7 and lo > 0xF9)]
    chars.sort(key=lambda c: (c not in ADDRESS_CHARS, ADDRESS_CHARS.find(c)))
    for word in PLACES:
        key = "".join(lazy_pinyin(word, style=Style.NORMAL, v_to_u=False))
        if word not in words[key]:
            words[key].append(word)
    for c in chars:  # the usual reading first: a rare reading's characters come after the usual ones
        for reading in lazy_pinyin(c, style=Style.NORMAL, v_to_u=False):
            if reading.isascii() and reading.isalpha() and c not in words[reading]:
                words[reading].append(c)
    for c in chars:
        for reading in pinyin(c, style=Style.NORMAL, heteronym=True)[0]:
            reading = reading.replace("ü", "v")
            if reading.isascii() and reading.isalpha() and c not in words[reading]:
                words[reading].append(c)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# The on-screen pinyin keyboard's words: pinyin (ü as v), a tab, the words in the order offered.\n")
        fh.write("# Built by the cat13c tooling from GB 2312 level-1 characters and address words (pypinyin).\n")
        for key in sorted(words):
            fh.write(f"{key}\t{' '.join(words[key])}\n")


if __name__ == "__main__":  # scripts/make_pinyin_words.py assets/input/pinyin_words.tsv (needs pypinyin)
    main(sys.argv[1])
