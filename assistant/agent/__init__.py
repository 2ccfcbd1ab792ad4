"""The agent: routing, planning, the answer graph, citation checks, the conversation's facts."""
