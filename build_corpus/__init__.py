"""Annotated-corpus site generator for Chinese government work reports (政府工作报告)."""
import logging

import jieba

# jieba announces every dictionary load on stderr; our CLI prints its own messages.
jieba.setLogLevel(logging.WARNING)
