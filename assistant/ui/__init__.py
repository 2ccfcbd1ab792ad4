"""The Gradio chat UI: chat with cited sources, the sentencing view, disclaimers and the index page.

The UI only calls services (`assistant.services.answer.AssistantService`, `assistant.services.index.IndexService`);
it never retrieves or parses itself. Gradio is imported inside the functions that build the app.
"""
