namespace HotDash.AgentService.Health;

/// <summary>
/// Reproduces the incident: the health check read the deprecated static admin token instead of
/// going through the per-request admin authentication, and so reported healthy while real
/// requests failed. HotDash.Compliance reports HD1001 on the read below.
/// </summary>
public sealed class ShopifyHealthCheck(IConfiguration configuration)
{
    public IResult Check()
    {
        var token = configuration["SHOPIFY_ADMIN_TOKEN"];
        return string.IsNullOrEmpty(token)
            ? Results.Problem("Shopify admin token missing")
            : Results.Ok(new { status = "healthy" });
    }
}
