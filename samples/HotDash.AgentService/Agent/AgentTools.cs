using OpenAI.Chat;

namespace HotDash.AgentService.Agent;

/// <summary>Tools and formats built directly with the OpenAI .NET SDK.</summary>
public static class AgentTools
{
    /// <summary>A strict tool whose schema forgets 'note' in required: OpenAI rejects it (HD2001).</summary>
    public static ChatTool EscalateTicket() => ChatTool.CreateFunctionTool(
        functionName: "escalate_ticket",
        functionDescription: "Escalate a support ticket to a human operator.",
        functionParameters: BinaryData.FromBytes("""
            {
              "type": "object",
              "properties": {
                "ticket_id": { "type": "string" },
                "priority": { "type": "string", "enum": ["low", "normal", "urgent"] },
                "note": { "type": "string" }
              },
              "required": ["ticket_id", "priority"],
              "additionalProperties": false
            }
            """u8.ToArray()),
        functionSchemaIsStrict: true);

    /// <summary>Canonical: the optional note is a union with null and listed in required. Raises nothing.</summary>
    public static ChatResponseFormat ReplyFormat() => ChatResponseFormat.CreateJsonSchemaFormat(
        jsonSchemaFormatName: "operator_reply",
        jsonSchema: BinaryData.FromString("""
            {
              "type": "object",
              "properties": {
                "reply": { "type": "string" },
                "note": { "type": ["string", "null"] }
              },
              "required": ["reply", "note"],
              "additionalProperties": false
            }
            """),
        jsonSchemaIsStrict: true);
}
