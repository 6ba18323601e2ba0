using HotDash.Compliance.Audit.Database.Catalog;

namespace HotDash.Compliance.Audit.Tests.Database.Access;

/// <summary>
/// The expression reader on expressions as pg_get_expr prints them (each form below was taken from a
/// real server's output for the policy text in the comment). Unknown forms are never called always-true.
/// </summary>
public class PolicyExpressionTests
{
    [Theory]
    [InlineData("true")]                                            // USING (true), USING ((true))
    [InlineData("(1 = 1)")]                                         // USING (1=1)
    [InlineData("('a'::text = 'a'::text)")]
    [InlineData("(true OR (auth.uid() = user_id))")]                // a tautology in a disjunction
    [InlineData("((( SELECT CURRENT_USER AS \"current_user\") = 'x'::name) OR ((1 = 1) AND true))")]
    public void Always_true_for_everyone(string expression) => PolicyExpression.IsAlwaysTrue(expression).Should().BeTrue();

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    [InlineData("(auth.uid() = user_id)")]
    [InlineData("(( SELECT auth.uid() AS uid) = user_id)")]
    [InlineData("((1 = 1) AND (auth.uid() = user_id))")]
    [InlineData("('true or' = 'x'::text)")]                         // OR inside a literal is not a disjunction
    [InlineData("(auth.role() = 'authenticated'::text)")]           // true only for one role: see below
    [InlineData("(1 = 2)")]
    public void Not_always_true_for_everyone(string? expression) => PolicyExpression.IsAlwaysTrue(expression).Should().BeFalse();

    [Theory]
    [InlineData("(auth.role() = 'authenticated'::text)", "authenticated", true)]
    [InlineData("(( SELECT auth.role() AS role) = 'authenticated'::text)", "authenticated", true)]
    [InlineData("(auth.uid() IS NOT NULL)", "authenticated", true)]
    [InlineData("((auth.jwt() ->> 'role'::text) = 'authenticated'::text)", "authenticated", true)]
    [InlineData("(auth.role() = 'authenticated'::text)", "anon", false)]
    [InlineData("(auth.uid() IS NOT NULL)", "anon", false)]
    [InlineData("(auth.role() = 'anon'::text)", "anon", true)]
    [InlineData("((auth.role() = 'authenticated'::text) AND (owner = auth.uid()))", "authenticated", false)]
    public void Always_true_for_one_role(string expression, string role, bool expected) =>
        PolicyExpression.IsAlwaysTrueFor(expression, role).Should().Be(expected);

    [Theory]
    [InlineData("(bucket_id = 'avatars'::text)", "avatars", true)]
    [InlineData("('avatars'::text = bucket_id)", "avatars", true)]
    [InlineData("((bucket_id = 'avatars'::text) AND (auth.role() = 'authenticated'::text))", "avatars", true)]
    [InlineData("true", "avatars", true)]
    [InlineData("(bucket_id = 'avatars'::text)", "documents", false)]
    [InlineData("((bucket_id = 'avatars'::text) AND ((storage.foldername(name))[1] = (auth.uid())::text))", "avatars", false)]
    [InlineData("((bucket_id = 'avatars'::text) OR (owner = auth.uid()))", "avatars", false)]
    [InlineData(null, "avatars", false)]
    public void Only_filters_the_bucket(string? expression, string bucket, bool expected) =>
        PolicyExpression.OnlyFiltersBucket(expression, bucket, "authenticated").Should().Be(expected);

    [Fact]
    public void Splits_only_at_the_top_level_and_outside_literals()
    {
        PolicyExpression.Split("((a = 1) OR (b = 'x OR y'::text))", "OR").Should().Equal("(a = 1)", "(b = 'x OR y'::text)");
        PolicyExpression.Split("(a = 1) AND ((b = 2) OR (c = 3))", "AND").Should().Equal("(a = 1)", "((b = 2) OR (c = 3))");
    }

    // As pg_get_expr deparses them: a header read at the top, inside EXISTS (SELECT ...), inside a plain group, and a
    // parenthesis in a literal that must not open a group.
    [Theory]
    [InlineData("((((current_setting('request.headers'::text, true))::json ->> 'capgkey'::text) = 'k'::text))", false)]
    [InlineData("(EXISTS ( SELECT 1 FROM qr_tokens t WHERE ((t.token = ((current_setting('request.headers'::text, true))::json ->> 'x'::text)) AND (t.m = menu.m))))", true)]
    [InlineData("((session = ((current_setting('request.headers'::text, true))::json ->> 'sid'::text)) OR (EXISTS ( SELECT 1 FROM s)))", false)]
    [InlineData("((name = '(SELECT'::text) AND (h = current_setting('request.headers'::text, true)))", false)]
    [InlineData(null, true)]
    public void Reads_only_in_subqueries(string? expression, bool expected) =>
        PolicyExpression.ReadsOnlyInSubqueries(expression, "request.headers").Should().Be(expected);
}
