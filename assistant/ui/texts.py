"""User-facing wording of the UI, in one place so the tests and the app agree."""

from __future__ import annotations

TITLE = "法律助手 · 有据可查的中文法律问答"

# Shown on first visit until acknowledged (remembered in the browser's localStorage).
DISCLAIMER_BANNER = (
    "**使用须知**：本工具根据检索到的法律条文和类似案例生成参考信息，**不构成法律意见**，"
    "可能存在遗漏或错误。具体案件请咨询执业律师。量刑估计仅为依据《关于常见犯罪的量刑指导意见》"
    "和类似判决的推算，不代表法院判决。"
)
DISCLAIMER_ACK = "我已知悉"
# Under every answer.
ANSWER_NOTICE = "⚖️ 以上内容不构成法律意见，请咨询执业律师。"

# Label shown in the selector → mode passed to AssistantService.
MODES: dict[str, str] = {
    "自动": "auto",
    "量刑分析": "sentencing",
    "知识产权分析": "ip",
    "法条查询": "statute",
    "法律咨询": "consult",
}

EXAMPLES: list[str] = [
    "盗窃他人财物三千元，有自首情节，可能判多久？",
    "醉酒驾驶机动车会判什么刑？",
    "未经许可复制他人软件并出售构成什么罪？",
    "商标侵权的赔偿数额怎么确定？",
    "专利法规定的不视为侵犯专利权的情形有哪些？",
    "刑法第二百六十四条是怎么规定的？",
]

NO_SOURCES = "（本回答没有引用来源）"
ADMIN_REQUIRED = "需要管理员登录才能查看和更新索引。"
ADMIN_DISABLED = (
    "索引管理页未启用：没有配置管理员密码。请在设置文件中设置 ui.admin_password，"
    "或设置环境变量 LEGAL_ASSISTANT__UI__ADMIN_PASSWORD 后重启。"
)
LOGIN_FAILED = "用户名或密码错误。"
