"""Nationality codes on the resident ID card chip (GB 3304): two digits -> the name printed on the card.

The chip holds the code ("01"); the card face and :class:`~devices.idcard.api.IdCard` hold the name
("汉"). 01-56 are the 56 nationalities in GB 3304 order; 97 is 其他 (other) and 98 外国血统中国籍人士
(Chinese citizens of foreign origin).
"""

from __future__ import annotations

_NAMES_01_TO_56 = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()

NATIONS: dict[str, str] = {f"{number:02d}": name for number, name in enumerate(_NAMES_01_TO_56, start=1)}
NATIONS["97"] = "其他"
NATIONS["98"] = "外国血统中国籍人士"

_CODES = {name: code for code, name in NATIONS.items()}


class UnknownNation(ValueError):
    pass


def nation_name(code: str) -> str:
    """'01' -> '汉'; UnknownNation for a code outside GB 3304."""
    try:
        return NATIONS[code]
    except KeyError:
        raise UnknownNation(f"nation code {code!r} is not in GB 3304 (01-56, 97, 98)") from None


def nation_code(name: str) -> str:
    """'汉' -> '01' (also accepts '汉族'); UnknownNation for a name outside GB 3304."""
    code = _CODES.get(name) or _CODES.get(name.removesuffix("族"))
    if code is None:
        raise UnknownNation(f"nation {name!r} is not in GB 3304")
    return code
