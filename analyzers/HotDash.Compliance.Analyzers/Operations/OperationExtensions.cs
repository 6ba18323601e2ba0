using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HotDash.Compliance.Analyzers.Operations;

internal static class OperationExtensions
{
    /// <summary>The operand under any implicit or explicit conversions and parentheses: what was actually written.</summary>
    public static IOperation WithoutConversions(this IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }
}
