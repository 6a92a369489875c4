import ContentService

// The content service names its types `Page` and `Category`, as does `MathFarmCore` (`Page`
// of a list) and the module itself an enum `ContentService`; these names keep them apart.
typealias ContentPage = Page
typealias ContentCategory = Category
