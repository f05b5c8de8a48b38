"""Annotated-corpus site generator for Chinese government work reports (政府工作报告)."""
