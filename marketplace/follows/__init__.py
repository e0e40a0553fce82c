"""Residents follow shops and hear, by a daily email in their language, when one has news.

It reads accounts and shops (and the audit log for reinstatements); public pages show its
Follow button and privacy exports and erases its rows: neither accounts nor shops import it.
"""
