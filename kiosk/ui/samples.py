"""A made-up catalogue of 29 services for previews, screenshots and tests of the home screen at the size
the catalogue is growing to (only three flows exist). Titles are demo data in the model, like the
sample names and amounts; they never become flows. Qt-free (scripts/pinyin_table.py reads it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SampleService:
    id: str
    zh: str
    en: str
    category: str
    popularity: int  # 1 = the most used

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh_CN" else self.en


_RAW = (
    ("account_opening", "个人开户并领卡", "Open an account with a debit card", "accounts", 4),
    ("account_query", "账户信息查询", "Account details", "accounts", 2),
    ("mobile_change", "修改手机号码", "Change mobile number", "accounts", 7),
    ("mobile_banking", "开通手机银行", "Sign up for mobile banking", "accounts", 12),
    ("e_account_upgrade", "电子账户升级", "Upgrade an electronic account", "accounts", 21),
    ("account_close", "账户销户", "Close an account", "accounts", 18),
    ("time_deposit", "定期存款", "Time deposit", "accounts", 9),
    ("large_deposit", "大额存单", "Certificate of deposit", "accounts", 16),
    ("loss_report", "银行卡挂失", "Report a lost card", "cards", 3),
    ("loss_release", "解除挂失", "Cancel a loss report", "cards", 10),
    ("card_replace", "补办银行卡", "Replace a card", "cards", 8),
    ("pin_reset", "重置密码", "Reset the PIN", "cards", 5),
    ("pin_change", "修改密码", "Change the PIN", "cards", 11),
    ("card_activate", "银行卡激活", "Activate a card", "cards", 14),
    ("chip_card", "换领芯片卡", "Exchange for a chip card", "cards", 23),
    ("si_payment", "社保缴费", "Social insurance payment", "payments", 1),
    ("water_bill", "水费缴纳", "Pay the water bill", "payments", 13),
    ("power_bill", "电费缴纳", "Pay the electricity bill", "payments", 6),
    ("gas_bill", "燃气费缴纳", "Pay the gas bill", "payments", 17),
    ("phone_top_up", "话费充值", "Mobile phone top-up", "payments", 15),
    ("transfer", "转账汇款", "Transfer money", "payments", 19),
    ("credit_card_repay", "信用卡还款", "Credit card repayment", "payments", 20),
    ("medical_insurance", "医保缴费", "Medical insurance payment", "payments", 22),
    ("statement_print", "打印流水", "Print a statement", "services", 24),
    ("deposit_certificate", "开立存款证明", "Proof of deposit", "services", 25),
    ("fx_booking", "外币兑换预约", "Book a currency exchange", "services", 26),
    ("wealth_products", "理财产品购买", "Buy wealth products", "services", 27),
    ("personal_details", "个人信息变更", "Update personal details", "services", 28),
    ("sms_alerts", "签约短信通知", "Sign up for SMS alerts", "services", 29),
)
SAMPLE_SERVICES = tuple(SampleService(*row) for row in _RAW)
CATEGORIES = ("accounts", "cards", "payments", "services")


def sample_services(count: int = len(SAMPLE_SERVICES)) -> list[SampleService]:
    """``count`` services, most used first; past 29 the list repeats with numbered ids and titles."""
    ordered = sorted(SAMPLE_SERVICES, key=lambda s: s.popularity)
    out = []
    for i in range(count):
        base = ordered[i % len(ordered)]
        round_ = i // len(ordered)
        if round_:
            base = SampleService(f"{base.id}_{round_ + 1}", f"{base.zh}{round_ + 1}", f"{base.en} {round_ + 1}",
                                 base.category, base.popularity + 100 * round_)
        out.append(base)
    return out
