"""Services both faces (CLI and UI) call: answers, the index door, start-up."""
