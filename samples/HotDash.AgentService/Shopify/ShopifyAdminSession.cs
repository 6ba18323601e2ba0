namespace HotDash.AgentService.Shopify;

/// <summary>
/// The canonical way: every request carries the embedded app's session token, which is exchanged
/// per shop for an admin access token. Nothing here may raise a HotDash diagnostic.
/// </summary>
public sealed class ShopifyAdminSession(IConfiguration configuration)
{
    private readonly string _apiKey = configuration["Shopify:ApiKey"] ?? string.Empty;

    public IResult DescribeRequest(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (!authorization.StartsWith(Bearer, StringComparison.Ordinal))
        {
            return Results.Unauthorized();
        }

        var sessionToken = authorization[Bearer.Length..];
        return Results.Ok(new { app = _apiKey, sessionTokenLength = sessionToken.Length });
    }
}
