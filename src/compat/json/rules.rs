//! The JSON Schema rule ids: Confluent's `Difference.Type` names, whether its STRICT policy
//! accepts each, and the table of the ones that fail a check with their documentation.
//!
//! Messages say what changed at which JSON pointer, what the writer could send that the reader
//! now refuses, and the fix.

use super::Difference;
use crate::compat::report::{Direction, Violation};
use crate::compat::rules::RuleSpec;
use crate::format::json::model::Model;

/// Confluent's `Difference.Type`.
#[allow(non_camel_case_types, missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum T {
    ID_CHANGED,
    DESCRIPTION_CHANGED,
    TITLE_CHANGED,
    DEFAULT_CHANGED,
    SCHEMA_ADDED,
    SCHEMA_REMOVED,
    TYPE_EXTENDED,
    TYPE_NARROWED,
    TYPE_CHANGED,
    MAX_LENGTH_ADDED,
    MAX_LENGTH_REMOVED,
    MAX_LENGTH_INCREASED,
    MAX_LENGTH_DECREASED,
    MIN_LENGTH_ADDED,
    MIN_LENGTH_REMOVED,
    MIN_LENGTH_INCREASED,
    MIN_LENGTH_DECREASED,
    PATTERN_ADDED,
    PATTERN_REMOVED,
    PATTERN_CHANGED,
    MAXIMUM_ADDED,
    MAXIMUM_REMOVED,
    MAXIMUM_INCREASED,
    MAXIMUM_DECREASED,
    MINIMUM_ADDED,
    MINIMUM_REMOVED,
    MINIMUM_INCREASED,
    MINIMUM_DECREASED,
    EXCLUSIVE_MAXIMUM_ADDED,
    EXCLUSIVE_MAXIMUM_REMOVED,
    EXCLUSIVE_MAXIMUM_INCREASED,
    EXCLUSIVE_MAXIMUM_DECREASED,
    EXCLUSIVE_MINIMUM_ADDED,
    EXCLUSIVE_MINIMUM_REMOVED,
    EXCLUSIVE_MINIMUM_INCREASED,
    EXCLUSIVE_MINIMUM_DECREASED,
    MULTIPLE_OF_ADDED,
    MULTIPLE_OF_REMOVED,
    MULTIPLE_OF_EXPANDED,
    MULTIPLE_OF_REDUCED,
    MULTIPLE_OF_CHANGED,
    REQUIRED_ATTRIBUTE_ADDED,
    REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED,
    REQUIRED_ATTRIBUTE_REMOVED,
    MAX_PROPERTIES_ADDED,
    MAX_PROPERTIES_REMOVED,
    MAX_PROPERTIES_INCREASED,
    MAX_PROPERTIES_DECREASED,
    MIN_PROPERTIES_ADDED,
    MIN_PROPERTIES_REMOVED,
    MIN_PROPERTIES_INCREASED,
    MIN_PROPERTIES_DECREASED,
    ADDITIONAL_PROPERTIES_ADDED,
    ADDITIONAL_PROPERTIES_REMOVED,
    ADDITIONAL_PROPERTIES_EXTENDED,
    ADDITIONAL_PROPERTIES_NARROWED,
    DEPENDENCY_ARRAY_ADDED,
    DEPENDENCY_ARRAY_REMOVED,
    DEPENDENCY_ARRAY_EXTENDED,
    DEPENDENCY_ARRAY_NARROWED,
    DEPENDENCY_ARRAY_CHANGED,
    DEPENDENCY_SCHEMA_ADDED,
    DEPENDENCY_SCHEMA_REMOVED,
    REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
    REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL,
    OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
    PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
    REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
    REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL,
    OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
    PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL,
    PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    UNEVALUATED_PROPERTIES_ADDED,
    UNEVALUATED_PROPERTIES_REMOVED,
    UNEVALUATED_PROPERTIES_EXTENDED,
    UNEVALUATED_PROPERTIES_NARROWED,
    MAX_ITEMS_ADDED,
    MAX_ITEMS_REMOVED,
    MAX_ITEMS_INCREASED,
    MAX_ITEMS_DECREASED,
    MIN_ITEMS_ADDED,
    MIN_ITEMS_REMOVED,
    MIN_ITEMS_INCREASED,
    MIN_ITEMS_DECREASED,
    MAX_CONTAINS_ADDED,
    MAX_CONTAINS_REMOVED,
    MAX_CONTAINS_INCREASED,
    MAX_CONTAINS_DECREASED,
    MIN_CONTAINS_ADDED,
    MIN_CONTAINS_REMOVED,
    MIN_CONTAINS_INCREASED,
    MIN_CONTAINS_DECREASED,
    UNIQUE_ITEMS_ADDED,
    UNIQUE_ITEMS_REMOVED,
    ADDITIONAL_ITEMS_ADDED,
    ADDITIONAL_ITEMS_REMOVED,
    ADDITIONAL_ITEMS_EXTENDED,
    ADDITIONAL_ITEMS_NARROWED,
    UNEVALUATED_ITEMS_ADDED,
    UNEVALUATED_ITEMS_REMOVED,
    UNEVALUATED_ITEMS_EXTENDED,
    UNEVALUATED_ITEMS_NARROWED,
    ITEM_ADDED_TO_OPEN_CONTENT_MODEL,
    ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
    ITEM_ADDED_TO_CLOSED_CONTENT_MODEL,
    ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL,
    ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    ENUM_ARRAY_EXTENDED,
    ENUM_ARRAY_NARROWED,
    ENUM_ARRAY_CHANGED,
    COMBINED_TYPE_EXTENDED,
    COMBINED_TYPE_CHANGED,
    PRODUCT_TYPE_EXTENDED,
    PRODUCT_TYPE_NARROWED,
    SUM_TYPE_EXTENDED,
    SUM_TYPE_NARROWED,
    COMBINED_TYPE_SUBSCHEMAS_CHANGED,
    NOT_TYPE_EXTENDED,
    NOT_TYPE_NARROWED,
}

impl T {
    /// The id, as Confluent spells it.
    pub fn id(self) -> &'static str {
        match self {
            T::ID_CHANGED => "ID_CHANGED",
            T::DESCRIPTION_CHANGED => "DESCRIPTION_CHANGED",
            T::TITLE_CHANGED => "TITLE_CHANGED",
            T::DEFAULT_CHANGED => "DEFAULT_CHANGED",
            T::SCHEMA_ADDED => "SCHEMA_ADDED",
            T::SCHEMA_REMOVED => "SCHEMA_REMOVED",
            T::TYPE_EXTENDED => "TYPE_EXTENDED",
            T::TYPE_NARROWED => "TYPE_NARROWED",
            T::TYPE_CHANGED => "TYPE_CHANGED",
            T::MAX_LENGTH_ADDED => "MAX_LENGTH_ADDED",
            T::MAX_LENGTH_REMOVED => "MAX_LENGTH_REMOVED",
            T::MAX_LENGTH_INCREASED => "MAX_LENGTH_INCREASED",
            T::MAX_LENGTH_DECREASED => "MAX_LENGTH_DECREASED",
            T::MIN_LENGTH_ADDED => "MIN_LENGTH_ADDED",
            T::MIN_LENGTH_REMOVED => "MIN_LENGTH_REMOVED",
            T::MIN_LENGTH_INCREASED => "MIN_LENGTH_INCREASED",
            T::MIN_LENGTH_DECREASED => "MIN_LENGTH_DECREASED",
            T::PATTERN_ADDED => "PATTERN_ADDED",
            T::PATTERN_REMOVED => "PATTERN_REMOVED",
            T::PATTERN_CHANGED => "PATTERN_CHANGED",
            T::MAXIMUM_ADDED => "MAXIMUM_ADDED",
            T::MAXIMUM_REMOVED => "MAXIMUM_REMOVED",
            T::MAXIMUM_INCREASED => "MAXIMUM_INCREASED",
            T::MAXIMUM_DECREASED => "MAXIMUM_DECREASED",
            T::MINIMUM_ADDED => "MINIMUM_ADDED",
            T::MINIMUM_REMOVED => "MINIMUM_REMOVED",
            T::MINIMUM_INCREASED => "MINIMUM_INCREASED",
            T::MINIMUM_DECREASED => "MINIMUM_DECREASED",
            T::EXCLUSIVE_MAXIMUM_ADDED => "EXCLUSIVE_MAXIMUM_ADDED",
            T::EXCLUSIVE_MAXIMUM_REMOVED => "EXCLUSIVE_MAXIMUM_REMOVED",
            T::EXCLUSIVE_MAXIMUM_INCREASED => "EXCLUSIVE_MAXIMUM_INCREASED",
            T::EXCLUSIVE_MAXIMUM_DECREASED => "EXCLUSIVE_MAXIMUM_DECREASED",
            T::EXCLUSIVE_MINIMUM_ADDED => "EXCLUSIVE_MINIMUM_ADDED",
            T::EXCLUSIVE_MINIMUM_REMOVED => "EXCLUSIVE_MINIMUM_REMOVED",
            T::EXCLUSIVE_MINIMUM_INCREASED => "EXCLUSIVE_MINIMUM_INCREASED",
            T::EXCLUSIVE_MINIMUM_DECREASED => "EXCLUSIVE_MINIMUM_DECREASED",
            T::MULTIPLE_OF_ADDED => "MULTIPLE_OF_ADDED",
            T::MULTIPLE_OF_REMOVED => "MULTIPLE_OF_REMOVED",
            T::MULTIPLE_OF_EXPANDED => "MULTIPLE_OF_EXPANDED",
            T::MULTIPLE_OF_REDUCED => "MULTIPLE_OF_REDUCED",
            T::MULTIPLE_OF_CHANGED => "MULTIPLE_OF_CHANGED",
            T::REQUIRED_ATTRIBUTE_ADDED => "REQUIRED_ATTRIBUTE_ADDED",
            T::REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED => "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED",
            T::REQUIRED_ATTRIBUTE_REMOVED => "REQUIRED_ATTRIBUTE_REMOVED",
            T::MAX_PROPERTIES_ADDED => "MAX_PROPERTIES_ADDED",
            T::MAX_PROPERTIES_REMOVED => "MAX_PROPERTIES_REMOVED",
            T::MAX_PROPERTIES_INCREASED => "MAX_PROPERTIES_INCREASED",
            T::MAX_PROPERTIES_DECREASED => "MAX_PROPERTIES_DECREASED",
            T::MIN_PROPERTIES_ADDED => "MIN_PROPERTIES_ADDED",
            T::MIN_PROPERTIES_REMOVED => "MIN_PROPERTIES_REMOVED",
            T::MIN_PROPERTIES_INCREASED => "MIN_PROPERTIES_INCREASED",
            T::MIN_PROPERTIES_DECREASED => "MIN_PROPERTIES_DECREASED",
            T::ADDITIONAL_PROPERTIES_ADDED => "ADDITIONAL_PROPERTIES_ADDED",
            T::ADDITIONAL_PROPERTIES_REMOVED => "ADDITIONAL_PROPERTIES_REMOVED",
            T::ADDITIONAL_PROPERTIES_EXTENDED => "ADDITIONAL_PROPERTIES_EXTENDED",
            T::ADDITIONAL_PROPERTIES_NARROWED => "ADDITIONAL_PROPERTIES_NARROWED",
            T::DEPENDENCY_ARRAY_ADDED => "DEPENDENCY_ARRAY_ADDED",
            T::DEPENDENCY_ARRAY_REMOVED => "DEPENDENCY_ARRAY_REMOVED",
            T::DEPENDENCY_ARRAY_EXTENDED => "DEPENDENCY_ARRAY_EXTENDED",
            T::DEPENDENCY_ARRAY_NARROWED => "DEPENDENCY_ARRAY_NARROWED",
            T::DEPENDENCY_ARRAY_CHANGED => "DEPENDENCY_ARRAY_CHANGED",
            T::DEPENDENCY_SCHEMA_ADDED => "DEPENDENCY_SCHEMA_ADDED",
            T::DEPENDENCY_SCHEMA_REMOVED => "DEPENDENCY_SCHEMA_REMOVED",
            T::REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL => {
                "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
            }
            T::REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL => {
                "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL"
            }
            T::OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL => {
                "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
            }
            T::PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL => {
                "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
            }
            T::REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL => {
                "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
            }
            T::REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL => {
                "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL"
            }
            T::OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL => {
                "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
            }
            T::PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL => {
                "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL"
            }
            T::PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL => {
                "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
            }
            T::PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL => {
                "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"
            }
            T::PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => {
                "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            T::PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => {
                "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            T::PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => {
                "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            T::PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => {
                "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            T::UNEVALUATED_PROPERTIES_ADDED => "UNEVALUATED_PROPERTIES_ADDED",
            T::UNEVALUATED_PROPERTIES_REMOVED => "UNEVALUATED_PROPERTIES_REMOVED",
            T::UNEVALUATED_PROPERTIES_EXTENDED => "UNEVALUATED_PROPERTIES_EXTENDED",
            T::UNEVALUATED_PROPERTIES_NARROWED => "UNEVALUATED_PROPERTIES_NARROWED",
            T::MAX_ITEMS_ADDED => "MAX_ITEMS_ADDED",
            T::MAX_ITEMS_REMOVED => "MAX_ITEMS_REMOVED",
            T::MAX_ITEMS_INCREASED => "MAX_ITEMS_INCREASED",
            T::MAX_ITEMS_DECREASED => "MAX_ITEMS_DECREASED",
            T::MIN_ITEMS_ADDED => "MIN_ITEMS_ADDED",
            T::MIN_ITEMS_REMOVED => "MIN_ITEMS_REMOVED",
            T::MIN_ITEMS_INCREASED => "MIN_ITEMS_INCREASED",
            T::MIN_ITEMS_DECREASED => "MIN_ITEMS_DECREASED",
            T::MAX_CONTAINS_ADDED => "MAX_CONTAINS_ADDED",
            T::MAX_CONTAINS_REMOVED => "MAX_CONTAINS_REMOVED",
            T::MAX_CONTAINS_INCREASED => "MAX_CONTAINS_INCREASED",
            T::MAX_CONTAINS_DECREASED => "MAX_CONTAINS_DECREASED",
            T::MIN_CONTAINS_ADDED => "MIN_CONTAINS_ADDED",
            T::MIN_CONTAINS_REMOVED => "MIN_CONTAINS_REMOVED",
            T::MIN_CONTAINS_INCREASED => "MIN_CONTAINS_INCREASED",
            T::MIN_CONTAINS_DECREASED => "MIN_CONTAINS_DECREASED",
            T::UNIQUE_ITEMS_ADDED => "UNIQUE_ITEMS_ADDED",
            T::UNIQUE_ITEMS_REMOVED => "UNIQUE_ITEMS_REMOVED",
            T::ADDITIONAL_ITEMS_ADDED => "ADDITIONAL_ITEMS_ADDED",
            T::ADDITIONAL_ITEMS_REMOVED => "ADDITIONAL_ITEMS_REMOVED",
            T::ADDITIONAL_ITEMS_EXTENDED => "ADDITIONAL_ITEMS_EXTENDED",
            T::ADDITIONAL_ITEMS_NARROWED => "ADDITIONAL_ITEMS_NARROWED",
            T::UNEVALUATED_ITEMS_ADDED => "UNEVALUATED_ITEMS_ADDED",
            T::UNEVALUATED_ITEMS_REMOVED => "UNEVALUATED_ITEMS_REMOVED",
            T::UNEVALUATED_ITEMS_EXTENDED => "UNEVALUATED_ITEMS_EXTENDED",
            T::UNEVALUATED_ITEMS_NARROWED => "UNEVALUATED_ITEMS_NARROWED",
            T::ITEM_ADDED_TO_OPEN_CONTENT_MODEL => "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
            T::ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL => {
                "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
            }
            T::ITEM_ADDED_TO_CLOSED_CONTENT_MODEL => "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
            T::ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL => "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
            T::ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL => {
                "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
            }
            T::ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL => "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
            T::ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => {
                "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            T::ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => {
                "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            T::ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => {
                "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            T::ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => {
                "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            T::ENUM_ARRAY_EXTENDED => "ENUM_ARRAY_EXTENDED",
            T::ENUM_ARRAY_NARROWED => "ENUM_ARRAY_NARROWED",
            T::ENUM_ARRAY_CHANGED => "ENUM_ARRAY_CHANGED",
            T::COMBINED_TYPE_EXTENDED => "COMBINED_TYPE_EXTENDED",
            T::COMBINED_TYPE_CHANGED => "COMBINED_TYPE_CHANGED",
            T::PRODUCT_TYPE_EXTENDED => "PRODUCT_TYPE_EXTENDED",
            T::PRODUCT_TYPE_NARROWED => "PRODUCT_TYPE_NARROWED",
            T::SUM_TYPE_EXTENDED => "SUM_TYPE_EXTENDED",
            T::SUM_TYPE_NARROWED => "SUM_TYPE_NARROWED",
            T::COMBINED_TYPE_SUBSCHEMAS_CHANGED => "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
            T::NOT_TYPE_EXTENDED => "NOT_TYPE_EXTENDED",
            T::NOT_TYPE_NARROWED => "NOT_TYPE_NARROWED",
        }
    }

    /// In Confluent's `COMPATIBLE_CHANGES_STRICT`.
    pub fn compatible(self) -> bool {
        matches!(
            self,
            T::ID_CHANGED
                | T::DESCRIPTION_CHANGED
                | T::TITLE_CHANGED
                | T::DEFAULT_CHANGED
                | T::SCHEMA_REMOVED
                | T::TYPE_EXTENDED
                | T::MAX_LENGTH_INCREASED
                | T::MAX_LENGTH_REMOVED
                | T::MIN_LENGTH_DECREASED
                | T::MIN_LENGTH_REMOVED
                | T::PATTERN_REMOVED
                | T::MAXIMUM_INCREASED
                | T::MAXIMUM_REMOVED
                | T::MINIMUM_DECREASED
                | T::MINIMUM_REMOVED
                | T::EXCLUSIVE_MAXIMUM_INCREASED
                | T::EXCLUSIVE_MAXIMUM_REMOVED
                | T::EXCLUSIVE_MINIMUM_DECREASED
                | T::EXCLUSIVE_MINIMUM_REMOVED
                | T::MULTIPLE_OF_REDUCED
                | T::MULTIPLE_OF_REMOVED
                | T::REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED
                | T::REQUIRED_ATTRIBUTE_REMOVED
                | T::DEPENDENCY_ARRAY_NARROWED
                | T::DEPENDENCY_ARRAY_REMOVED
                | T::DEPENDENCY_SCHEMA_REMOVED
                | T::MAX_PROPERTIES_INCREASED
                | T::MAX_PROPERTIES_REMOVED
                | T::MIN_PROPERTIES_DECREASED
                | T::MIN_PROPERTIES_REMOVED
                | T::ADDITIONAL_PROPERTIES_ADDED
                | T::ADDITIONAL_PROPERTIES_EXTENDED
                | T::UNEVALUATED_PROPERTIES_ADDED
                | T::UNEVALUATED_PROPERTIES_EXTENDED
                | T::PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
                | T::REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL
                | T::OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL
                | T::PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL
                | T::PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL
                | T::PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                | T::PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                | T::MAX_ITEMS_INCREASED
                | T::MAX_ITEMS_REMOVED
                | T::MIN_ITEMS_DECREASED
                | T::MIN_ITEMS_REMOVED
                | T::MAX_CONTAINS_INCREASED
                | T::MAX_CONTAINS_REMOVED
                | T::MIN_CONTAINS_DECREASED
                | T::MIN_CONTAINS_REMOVED
                | T::UNIQUE_ITEMS_REMOVED
                | T::ADDITIONAL_ITEMS_ADDED
                | T::ADDITIONAL_ITEMS_EXTENDED
                | T::UNEVALUATED_ITEMS_ADDED
                | T::UNEVALUATED_ITEMS_EXTENDED
                | T::ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
                | T::ITEM_ADDED_TO_CLOSED_CONTENT_MODEL
                | T::ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL
                | T::ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL
                | T::ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                | T::ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                | T::ENUM_ARRAY_EXTENDED
                | T::COMBINED_TYPE_EXTENDED
                | T::PRODUCT_TYPE_NARROWED
                | T::SUM_TYPE_EXTENDED
                | T::NOT_TYPE_NARROWED
        )
    }
}

/// Every type Confluent may report, by id.
pub fn by_id(id: &str) -> Option<T> {
    ALL.iter().copied().find(|t| t.id() == id)
}

/// Every type, in Confluent's order.
pub const ALL: &[T] = &[
    T::ID_CHANGED,
    T::DESCRIPTION_CHANGED,
    T::TITLE_CHANGED,
    T::DEFAULT_CHANGED,
    T::SCHEMA_ADDED,
    T::SCHEMA_REMOVED,
    T::TYPE_EXTENDED,
    T::TYPE_NARROWED,
    T::TYPE_CHANGED,
    T::MAX_LENGTH_ADDED,
    T::MAX_LENGTH_REMOVED,
    T::MAX_LENGTH_INCREASED,
    T::MAX_LENGTH_DECREASED,
    T::MIN_LENGTH_ADDED,
    T::MIN_LENGTH_REMOVED,
    T::MIN_LENGTH_INCREASED,
    T::MIN_LENGTH_DECREASED,
    T::PATTERN_ADDED,
    T::PATTERN_REMOVED,
    T::PATTERN_CHANGED,
    T::MAXIMUM_ADDED,
    T::MAXIMUM_REMOVED,
    T::MAXIMUM_INCREASED,
    T::MAXIMUM_DECREASED,
    T::MINIMUM_ADDED,
    T::MINIMUM_REMOVED,
    T::MINIMUM_INCREASED,
    T::MINIMUM_DECREASED,
    T::EXCLUSIVE_MAXIMUM_ADDED,
    T::EXCLUSIVE_MAXIMUM_REMOVED,
    T::EXCLUSIVE_MAXIMUM_INCREASED,
    T::EXCLUSIVE_MAXIMUM_DECREASED,
    T::EXCLUSIVE_MINIMUM_ADDED,
    T::EXCLUSIVE_MINIMUM_REMOVED,
    T::EXCLUSIVE_MINIMUM_INCREASED,
    T::EXCLUSIVE_MINIMUM_DECREASED,
    T::MULTIPLE_OF_ADDED,
    T::MULTIPLE_OF_REMOVED,
    T::MULTIPLE_OF_EXPANDED,
    T::MULTIPLE_OF_REDUCED,
    T::MULTIPLE_OF_CHANGED,
    T::REQUIRED_ATTRIBUTE_ADDED,
    T::REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED,
    T::REQUIRED_ATTRIBUTE_REMOVED,
    T::MAX_PROPERTIES_ADDED,
    T::MAX_PROPERTIES_REMOVED,
    T::MAX_PROPERTIES_INCREASED,
    T::MAX_PROPERTIES_DECREASED,
    T::MIN_PROPERTIES_ADDED,
    T::MIN_PROPERTIES_REMOVED,
    T::MIN_PROPERTIES_INCREASED,
    T::MIN_PROPERTIES_DECREASED,
    T::ADDITIONAL_PROPERTIES_ADDED,
    T::ADDITIONAL_PROPERTIES_REMOVED,
    T::ADDITIONAL_PROPERTIES_EXTENDED,
    T::ADDITIONAL_PROPERTIES_NARROWED,
    T::DEPENDENCY_ARRAY_ADDED,
    T::DEPENDENCY_ARRAY_REMOVED,
    T::DEPENDENCY_ARRAY_EXTENDED,
    T::DEPENDENCY_ARRAY_NARROWED,
    T::DEPENDENCY_ARRAY_CHANGED,
    T::DEPENDENCY_SCHEMA_ADDED,
    T::DEPENDENCY_SCHEMA_REMOVED,
    T::REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
    T::REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL,
    T::OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
    T::PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
    T::REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
    T::REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL,
    T::OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
    T::PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL,
    T::PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    T::PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    T::PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    T::PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    T::PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    T::PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    T::UNEVALUATED_PROPERTIES_ADDED,
    T::UNEVALUATED_PROPERTIES_REMOVED,
    T::UNEVALUATED_PROPERTIES_EXTENDED,
    T::UNEVALUATED_PROPERTIES_NARROWED,
    T::MAX_ITEMS_ADDED,
    T::MAX_ITEMS_REMOVED,
    T::MAX_ITEMS_INCREASED,
    T::MAX_ITEMS_DECREASED,
    T::MIN_ITEMS_ADDED,
    T::MIN_ITEMS_REMOVED,
    T::MIN_ITEMS_INCREASED,
    T::MIN_ITEMS_DECREASED,
    T::MAX_CONTAINS_ADDED,
    T::MAX_CONTAINS_REMOVED,
    T::MAX_CONTAINS_INCREASED,
    T::MAX_CONTAINS_DECREASED,
    T::MIN_CONTAINS_ADDED,
    T::MIN_CONTAINS_REMOVED,
    T::MIN_CONTAINS_INCREASED,
    T::MIN_CONTAINS_DECREASED,
    T::UNIQUE_ITEMS_ADDED,
    T::UNIQUE_ITEMS_REMOVED,
    T::ADDITIONAL_ITEMS_ADDED,
    T::ADDITIONAL_ITEMS_REMOVED,
    T::ADDITIONAL_ITEMS_EXTENDED,
    T::ADDITIONAL_ITEMS_NARROWED,
    T::UNEVALUATED_ITEMS_ADDED,
    T::UNEVALUATED_ITEMS_REMOVED,
    T::UNEVALUATED_ITEMS_EXTENDED,
    T::UNEVALUATED_ITEMS_NARROWED,
    T::ITEM_ADDED_TO_OPEN_CONTENT_MODEL,
    T::ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
    T::ITEM_ADDED_TO_CLOSED_CONTENT_MODEL,
    T::ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL,
    T::ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    T::ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    T::ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    T::ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    T::ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    T::ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    T::ENUM_ARRAY_EXTENDED,
    T::ENUM_ARRAY_NARROWED,
    T::ENUM_ARRAY_CHANGED,
    T::COMBINED_TYPE_EXTENDED,
    T::COMBINED_TYPE_CHANGED,
    T::PRODUCT_TYPE_EXTENDED,
    T::PRODUCT_TYPE_NARROWED,
    T::SUM_TYPE_EXTENDED,
    T::SUM_TYPE_NARROWED,
    T::COMBINED_TYPE_SUBSCHEMAS_CHANGED,
    T::NOT_TYPE_EXTENDED,
    T::NOT_TYPE_NARROWED,
];

const fn rule(id: &'static str, purpose: &'static str, doc: &'static str) -> RuleSpec {
    RuleSpec {
        id,
        format: "JSON",
        purpose,
        doc,
        replaced_by: None,
    }
}

/// The JSON Schema rules that fail a check under Confluent's STRICT policy.
pub const JSON_RULES: &[RuleSpec] = &[
    rule(
        "SCHEMA_ADDED",
        "A schema the writer left unconstrained (items, additionalProperties...) is not constrained by the reader.",
        "What: A schema the writer left unconstrained (items, additionalProperties...) is not constrained by the reader.\nWhy readers break: values that were valid may not fit the new schema.\nExample: see `sr rules SCHEMA_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: leave it out, or make it `{}`.",
    ),
    rule(
        "TYPE_NARROWED",
        "A number stays a number: narrowing it to integer refuses values with a fraction.",
        "What: A number stays a number: narrowing it to integer refuses values with a fraction.\nWhy readers break: 1.5 was valid and no longer is.\nExample: see `sr rules TYPE_NARROWED`; Confluent's json-schema-provider reports the same type.\nFix: keep `number`.",
    ),
    rule(
        "TYPE_CHANGED",
        "A value keeps its JSON type (string, number, object, enum, combination...).",
        "What: A value keeps its JSON type (string, number, object, enum, combination...).\nWhy readers break: the reader expects another kind of value than the writer produced.\nExample: see `sr rules TYPE_CHANGED`; Confluent's json-schema-provider reports the same type.\nFix: keep the type; to accept more, widen with anyOf/oneOf including the old type.",
    ),
    rule(
        "MAX_LENGTH_ADDED",
        "A `maxLength` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `maxLength` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `maxLength` allowed fall outside the new one.\nExample: see `sr rules MAX_LENGTH_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `maxLength` or loosen it.",
    ),
    rule(
        "MAX_LENGTH_DECREASED",
        "A `maxLength` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `maxLength` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `maxLength` allowed fall outside the new one.\nExample: see `sr rules MAX_LENGTH_DECREASED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `maxLength` or loosen it.",
    ),
    rule(
        "MIN_LENGTH_ADDED",
        "A `minLength` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `minLength` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `minLength` allowed fall outside the new one.\nExample: see `sr rules MIN_LENGTH_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `minLength` or loosen it.",
    ),
    rule(
        "MIN_LENGTH_INCREASED",
        "A `minLength` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `minLength` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `minLength` allowed fall outside the new one.\nExample: see `sr rules MIN_LENGTH_INCREASED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `minLength` or loosen it.",
    ),
    rule(
        "PATTERN_ADDED",
        "A string `pattern` must not be added or changed: any textual change counts, even one that widens it.",
        "What: A string `pattern` must not be added or changed: any textual change counts, even one that widens it.\nWhy readers break: strings that matched the old pattern may not match the new one.\nExample: see `sr rules PATTERN_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: keep the pattern as it was, or remove it.",
    ),
    rule(
        "PATTERN_CHANGED",
        "A string `pattern` must not be added or changed: any textual change counts, even one that widens it.",
        "What: A string `pattern` must not be added or changed: any textual change counts, even one that widens it.\nWhy readers break: strings that matched the old pattern may not match the new one.\nExample: see `sr rules PATTERN_CHANGED`; Confluent's json-schema-provider reports the same type.\nFix: keep the pattern as it was, or remove it.",
    ),
    rule(
        "MAXIMUM_ADDED",
        "maximum added.",
        "What: maximum added.\nWhy readers break: maximum added.\nExample: see `sr rules MAXIMUM_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: revert the change.",
    ),
    rule(
        "MAXIMUM_DECREASED",
        "maximum decreased.",
        "What: maximum decreased.\nWhy readers break: maximum decreased.\nExample: see `sr rules MAXIMUM_DECREASED`; Confluent's json-schema-provider reports the same type.\nFix: revert the change.",
    ),
    rule(
        "MINIMUM_ADDED",
        "minimum added.",
        "What: minimum added.\nWhy readers break: minimum added.\nExample: see `sr rules MINIMUM_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: revert the change.",
    ),
    rule(
        "MINIMUM_INCREASED",
        "minimum increased.",
        "What: minimum increased.\nWhy readers break: minimum increased.\nExample: see `sr rules MINIMUM_INCREASED`; Confluent's json-schema-provider reports the same type.\nFix: revert the change.",
    ),
    rule(
        "EXCLUSIVE_MAXIMUM_ADDED",
        "A `exclusiveMaximum` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `exclusiveMaximum` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `exclusiveMaximum` allowed fall outside the new one.\nExample: see `sr rules EXCLUSIVE_MAXIMUM_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `exclusiveMaximum` or loosen it.",
    ),
    rule(
        "EXCLUSIVE_MAXIMUM_DECREASED",
        "A `exclusiveMaximum` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `exclusiveMaximum` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `exclusiveMaximum` allowed fall outside the new one.\nExample: see `sr rules EXCLUSIVE_MAXIMUM_DECREASED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `exclusiveMaximum` or loosen it.",
    ),
    rule(
        "EXCLUSIVE_MINIMUM_ADDED",
        "A `exclusiveMinimum` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `exclusiveMinimum` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `exclusiveMinimum` allowed fall outside the new one.\nExample: see `sr rules EXCLUSIVE_MINIMUM_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `exclusiveMinimum` or loosen it.",
    ),
    rule(
        "EXCLUSIVE_MINIMUM_INCREASED",
        "A `exclusiveMinimum` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `exclusiveMinimum` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `exclusiveMinimum` allowed fall outside the new one.\nExample: see `sr rules EXCLUSIVE_MINIMUM_INCREASED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `exclusiveMinimum` or loosen it.",
    ),
    rule(
        "MULTIPLE_OF_ADDED",
        "`multipleOf` may only be removed or divided (the old value a multiple of the new).",
        "What: `multipleOf` may only be removed or divided (the old value a multiple of the new).\nWhy readers break: numbers that were multiples of the old value are not multiples of the new one.\nExample: see `sr rules MULTIPLE_OF_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: keep multipleOf, or use a divisor of the old value.",
    ),
    rule(
        "MULTIPLE_OF_EXPANDED",
        "`multipleOf` may only be removed or divided (the old value a multiple of the new).",
        "What: `multipleOf` may only be removed or divided (the old value a multiple of the new).\nWhy readers break: numbers that were multiples of the old value are not multiples of the new one.\nExample: see `sr rules MULTIPLE_OF_EXPANDED`; Confluent's json-schema-provider reports the same type.\nFix: keep multipleOf, or use a divisor of the old value.",
    ),
    rule(
        "MULTIPLE_OF_CHANGED",
        "`multipleOf` may only be removed or divided (the old value a multiple of the new).",
        "What: `multipleOf` may only be removed or divided (the old value a multiple of the new).\nWhy readers break: numbers that were multiples of the old value are not multiples of the new one.\nExample: see `sr rules MULTIPLE_OF_CHANGED`; Confluent's json-schema-provider reports the same type.\nFix: keep multipleOf, or use a divisor of the old value.",
    ),
    rule(
        "REQUIRED_ATTRIBUTE_ADDED",
        "An existing property must not become required unless it has a default.",
        "What: An existing property must not become required unless it has a default.\nWhy readers break: data written without the property is refused.\nExample: see `sr rules REQUIRED_ATTRIBUTE_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: keep it optional, or give the property a `default`.",
    ),
    rule(
        "MAX_PROPERTIES_ADDED",
        "A `maxProperties` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `maxProperties` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `maxProperties` allowed fall outside the new one.\nExample: see `sr rules MAX_PROPERTIES_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `maxProperties` or loosen it.",
    ),
    rule(
        "MAX_PROPERTIES_DECREASED",
        "A `maxProperties` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `maxProperties` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `maxProperties` allowed fall outside the new one.\nExample: see `sr rules MAX_PROPERTIES_DECREASED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `maxProperties` or loosen it.",
    ),
    rule(
        "MIN_PROPERTIES_ADDED",
        "A `minProperties` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `minProperties` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `minProperties` allowed fall outside the new one.\nExample: see `sr rules MIN_PROPERTIES_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `minProperties` or loosen it.",
    ),
    rule(
        "MIN_PROPERTIES_INCREASED",
        "A `minProperties` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `minProperties` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `minProperties` allowed fall outside the new one.\nExample: see `sr rules MIN_PROPERTIES_INCREASED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `minProperties` or loosen it.",
    ),
    rule(
        "ADDITIONAL_PROPERTIES_REMOVED",
        "`additionalProperties` must not be closed or constrained where the writer allowed any property.",
        "What: `additionalProperties` must not be closed or constrained where the writer allowed any property.\nWhy readers break: objects with properties the writer allowed are refused by the reader's `additionalProperties`.\nExample: see `sr rules ADDITIONAL_PROPERTIES_REMOVED`; Confluent's json-schema-provider reports the same type.\nFix: keep `additionalProperties` open (absent or true).",
    ),
    rule(
        "ADDITIONAL_PROPERTIES_NARROWED",
        "`additionalProperties` must not be closed or constrained where the writer allowed any property.",
        "What: `additionalProperties` must not be closed or constrained where the writer allowed any property.\nWhy readers break: objects with properties the writer allowed are refused by the reader's `additionalProperties`.\nExample: see `sr rules ADDITIONAL_PROPERTIES_NARROWED`; Confluent's json-schema-provider reports the same type.\nFix: keep `additionalProperties` open (absent or true).",
    ),
    rule(
        "DEPENDENCY_ARRAY_ADDED",
        "`dependencies` must not require more properties than before.",
        "What: `dependencies` must not require more properties than before.\nWhy readers break: objects valid under the old dependencies are refused.\nExample: see `sr rules DEPENDENCY_ARRAY_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: only remove dependencies, or narrow a dependency list.",
    ),
    rule(
        "DEPENDENCY_ARRAY_EXTENDED",
        "`dependencies` must not require more properties than before.",
        "What: `dependencies` must not require more properties than before.\nWhy readers break: objects valid under the old dependencies are refused.\nExample: see `sr rules DEPENDENCY_ARRAY_EXTENDED`; Confluent's json-schema-provider reports the same type.\nFix: only remove dependencies, or narrow a dependency list.",
    ),
    rule(
        "DEPENDENCY_ARRAY_CHANGED",
        "`dependencies` must not require more properties than before.",
        "What: `dependencies` must not require more properties than before.\nWhy readers break: objects valid under the old dependencies are refused.\nExample: see `sr rules DEPENDENCY_ARRAY_CHANGED`; Confluent's json-schema-provider reports the same type.\nFix: only remove dependencies, or narrow a dependency list.",
    ),
    rule(
        "DEPENDENCY_SCHEMA_ADDED",
        "`dependencies` must not require more properties than before.",
        "What: `dependencies` must not require more properties than before.\nWhy readers break: objects valid under the old dependencies are refused.\nExample: see `sr rules DEPENDENCY_SCHEMA_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: only remove dependencies, or narrow a dependency list.",
    ),
    rule(
        "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "A new property must not be required without a default.",
        "What: A new property must not be required without a default.\nWhy readers break: data written without the property is refused.\nExample: see `sr rules REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL`; Confluent's json-schema-provider reports the same type.\nFix: make the property optional, or give it a `default`.",
    ),
    rule(
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
        "A property added to an open object (additionalProperties absent or true) is refused under Confluent's STRICT policy: the writer may already have sent that name with any value.",
        "What: A property added to an open object (additionalProperties absent or true) is refused under Confluent's STRICT policy: the writer may already have sent that name with any value.\nWhy readers break: an old writer could put any value under the new name, which the new schema constrains.\nExample: see `sr rules REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL`; Confluent's json-schema-provider reports the same type.\nFix: close the object in both versions (`\"additionalProperties\": false`) before adding properties, give the property the empty schema `{}`, or use the LENIENT policy.",
    ),
    rule(
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "A property added to an open object (additionalProperties absent or true) is refused under Confluent's STRICT policy: the writer may already have sent that name with any value.",
        "What: A property added to an open object (additionalProperties absent or true) is refused under Confluent's STRICT policy: the writer may already have sent that name with any value.\nWhy readers break: an old writer could put any value under the new name, which the new schema constrains.\nExample: see `sr rules OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL`; Confluent's json-schema-provider reports the same type.\nFix: close the object in both versions (`\"additionalProperties\": false`) before adding properties, give the property the empty schema `{}`, or use the LENIENT policy.",
    ),
    rule(
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "A new property must not be required without a default.",
        "What: A new property must not be required without a default.\nWhy readers break: data written without the property is refused.\nExample: see `sr rules REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL`; Confluent's json-schema-provider reports the same type.\nFix: make the property optional, or give it a `default`.",
    ),
    rule(
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "A property must not be removed from a closed object (additionalProperties false).",
        "What: A property must not be removed from a closed object (additionalProperties false).\nWhy readers break: data that carries the property is refused by the reader.\nExample: see `sr rules PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL`; Confluent's json-schema-provider reports the same type.\nFix: keep the property, or open the object.",
    ),
    rule(
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "A property or item on one side only must fit the other side's additionalProperties/patternProperties/additionalItems schema.",
        "What: A property or item on one side only must fit the other side's additionalProperties/patternProperties/additionalItems schema.\nWhy readers break: the value is checked against a schema it does not fit.\nExample: see `sr rules PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`; Confluent's json-schema-provider reports the same type.\nFix: make the covering schema accept the value, or keep the property/item on both sides.",
    ),
    rule(
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "A property or item on one side only must fit the other side's additionalProperties/patternProperties/additionalItems schema.",
        "What: A property or item on one side only must fit the other side's additionalProperties/patternProperties/additionalItems schema.\nWhy readers break: the value is checked against a schema it does not fit.\nExample: see `sr rules PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`; Confluent's json-schema-provider reports the same type.\nFix: make the covering schema accept the value, or keep the property/item on both sides.",
    ),
    rule(
        "UNEVALUATED_PROPERTIES_REMOVED",
        "`unevaluatedProperties` must not be closed or constrained where the writer allowed any property.",
        "What: `unevaluatedProperties` must not be closed or constrained where the writer allowed any property.\nWhy readers break: objects with properties the writer allowed are refused by the reader's `unevaluatedProperties`.\nExample: see `sr rules UNEVALUATED_PROPERTIES_REMOVED`; Confluent's json-schema-provider reports the same type.\nFix: keep `unevaluatedProperties` open (absent or true).",
    ),
    rule(
        "UNEVALUATED_PROPERTIES_NARROWED",
        "`unevaluatedProperties` must not be closed or constrained where the writer allowed any property.",
        "What: `unevaluatedProperties` must not be closed or constrained where the writer allowed any property.\nWhy readers break: objects with properties the writer allowed are refused by the reader's `unevaluatedProperties`.\nExample: see `sr rules UNEVALUATED_PROPERTIES_NARROWED`; Confluent's json-schema-provider reports the same type.\nFix: keep `unevaluatedProperties` open (absent or true).",
    ),
    rule(
        "MAX_ITEMS_ADDED",
        "A `maxItems` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `maxItems` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `maxItems` allowed fall outside the new one.\nExample: see `sr rules MAX_ITEMS_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `maxItems` or loosen it.",
    ),
    rule(
        "MAX_ITEMS_DECREASED",
        "A `maxItems` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `maxItems` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `maxItems` allowed fall outside the new one.\nExample: see `sr rules MAX_ITEMS_DECREASED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `maxItems` or loosen it.",
    ),
    rule(
        "MIN_ITEMS_ADDED",
        "A `minItems` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `minItems` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `minItems` allowed fall outside the new one.\nExample: see `sr rules MIN_ITEMS_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `minItems` or loosen it.",
    ),
    rule(
        "MIN_ITEMS_INCREASED",
        "A `minItems` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `minItems` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `minItems` allowed fall outside the new one.\nExample: see `sr rules MIN_ITEMS_INCREASED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `minItems` or loosen it.",
    ),
    rule(
        "MAX_CONTAINS_ADDED",
        "A `maxContains` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `maxContains` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `maxContains` allowed fall outside the new one.\nExample: see `sr rules MAX_CONTAINS_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `maxContains` or loosen it.",
    ),
    rule(
        "MAX_CONTAINS_DECREASED",
        "A `maxContains` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `maxContains` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `maxContains` allowed fall outside the new one.\nExample: see `sr rules MAX_CONTAINS_DECREASED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `maxContains` or loosen it.",
    ),
    rule(
        "MIN_CONTAINS_ADDED",
        "A `minContains` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `minContains` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `minContains` allowed fall outside the new one.\nExample: see `sr rules MIN_CONTAINS_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `minContains` or loosen it.",
    ),
    rule(
        "MIN_CONTAINS_INCREASED",
        "A `minContains` limit must not get tighter: values within the old limit must stay valid.",
        "What: A `minContains` limit must not get tighter: values within the old limit must stay valid.\nWhy readers break: values the old `minContains` allowed fall outside the new one.\nExample: see `sr rules MIN_CONTAINS_INCREASED`; Confluent's json-schema-provider reports the same type.\nFix: keep the old `minContains` or loosen it.",
    ),
    rule(
        "UNIQUE_ITEMS_ADDED",
        "`uniqueItems: true` must not be added.",
        "What: `uniqueItems: true` must not be added.\nWhy readers break: arrays with repeated items are refused.\nExample: see `sr rules UNIQUE_ITEMS_ADDED`; Confluent's json-schema-provider reports the same type.\nFix: leave uniqueItems out.",
    ),
    rule(
        "ADDITIONAL_ITEMS_REMOVED",
        "`additionalItems` must not be closed or constrained where the writer allowed any item.",
        "What: `additionalItems` must not be closed or constrained where the writer allowed any item.\nWhy readers break: arrays with items the writer allowed are refused.\nExample: see `sr rules ADDITIONAL_ITEMS_REMOVED`; Confluent's json-schema-provider reports the same type.\nFix: keep `additionalItems` open (absent or true).",
    ),
    rule(
        "ADDITIONAL_ITEMS_NARROWED",
        "`additionalItems` must not be closed or constrained where the writer allowed any item.",
        "What: `additionalItems` must not be closed or constrained where the writer allowed any item.\nWhy readers break: arrays with items the writer allowed are refused.\nExample: see `sr rules ADDITIONAL_ITEMS_NARROWED`; Confluent's json-schema-provider reports the same type.\nFix: keep `additionalItems` open (absent or true).",
    ),
    rule(
        "UNEVALUATED_ITEMS_REMOVED",
        "`unevaluatedItems` must not be closed or constrained where the writer allowed any item.",
        "What: `unevaluatedItems` must not be closed or constrained where the writer allowed any item.\nWhy readers break: arrays with items the writer allowed are refused.\nExample: see `sr rules UNEVALUATED_ITEMS_REMOVED`; Confluent's json-schema-provider reports the same type.\nFix: keep `unevaluatedItems` open (absent or true).",
    ),
    rule(
        "UNEVALUATED_ITEMS_NARROWED",
        "`unevaluatedItems` must not be closed or constrained where the writer allowed any item.",
        "What: `unevaluatedItems` must not be closed or constrained where the writer allowed any item.\nWhy readers break: arrays with items the writer allowed are refused.\nExample: see `sr rules UNEVALUATED_ITEMS_NARROWED`; Confluent's json-schema-provider reports the same type.\nFix: keep `unevaluatedItems` open (absent or true).",
    ),
    rule(
        "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
        "A tuple item must not be added where the writer allowed any additional item.",
        "What: A tuple item must not be added where the writer allowed any additional item.\nWhy readers break: an old writer could put any value at that position.\nExample: see `sr rules ITEM_ADDED_TO_OPEN_CONTENT_MODEL`; Confluent's json-schema-provider reports the same type.\nFix: close the tuple (`additionalItems: false`) in both versions first, or give the item `{}`.",
    ),
    rule(
        "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "A tuple item must not be removed from a closed tuple (additionalItems false).",
        "What: A tuple item must not be removed from a closed tuple (additionalItems false).\nWhy readers break: arrays with that item are refused.\nExample: see `sr rules ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL`; Confluent's json-schema-provider reports the same type.\nFix: keep the item, or open the tuple.",
    ),
    rule(
        "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "A property or item on one side only must fit the other side's additionalProperties/patternProperties/additionalItems schema.",
        "What: A property or item on one side only must fit the other side's additionalProperties/patternProperties/additionalItems schema.\nWhy readers break: the value is checked against a schema it does not fit.\nExample: see `sr rules ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`; Confluent's json-schema-provider reports the same type.\nFix: make the covering schema accept the value, or keep the property/item on both sides.",
    ),
    rule(
        "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "A property or item on one side only must fit the other side's additionalProperties/patternProperties/additionalItems schema.",
        "What: A property or item on one side only must fit the other side's additionalProperties/patternProperties/additionalItems schema.\nWhy readers break: the value is checked against a schema it does not fit.\nExample: see `sr rules ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`; Confluent's json-schema-provider reports the same type.\nFix: make the covering schema accept the value, or keep the property/item on both sides.",
    ),
    rule(
        "ENUM_ARRAY_NARROWED",
        "An enum (or const) must keep every value it had.",
        "What: An enum (or const) must keep every value it had.\nWhy readers break: a value the writer could use is no longer allowed.\nExample: see `sr rules ENUM_ARRAY_NARROWED`; Confluent's json-schema-provider reports the same type.\nFix: only add values to the enum.",
    ),
    rule(
        "ENUM_ARRAY_CHANGED",
        "An enum (or const) must keep every value it had.",
        "What: An enum (or const) must keep every value it had.\nWhy readers break: a value the writer could use is no longer allowed.\nExample: see `sr rules ENUM_ARRAY_CHANGED`; Confluent's json-schema-provider reports the same type.\nFix: only add values to the enum.",
    ),
    rule(
        "COMBINED_TYPE_CHANGED",
        "A combination keeps its kind, or widens it (to anyOf; a single member to oneOf; allOf to a single member).",
        "What: A combination keeps its kind, or widens it (to anyOf; a single member to oneOf; allOf to a single member).\nWhy readers break: the reader combines the members more strictly than the writer.\nExample: see `sr rules COMBINED_TYPE_CHANGED`; Confluent's json-schema-provider reports the same type.\nFix: keep allOf/anyOf/oneOf as it was, or change it to anyOf.",
    ),
    rule(
        "PRODUCT_TYPE_EXTENDED",
        "An allOf must not gain members.",
        "What: An allOf must not gain members.\nWhy readers break: each new member is one more constraint old data may break.\nExample: see `sr rules PRODUCT_TYPE_EXTENDED`; Confluent's json-schema-provider reports the same type.\nFix: put the new constraint on a new property, or leave allOf as it was.",
    ),
    rule(
        "SUM_TYPE_NARROWED",
        "An anyOf/oneOf must not lose members.",
        "What: An anyOf/oneOf must not lose members.\nWhy readers break: data of the removed member is refused.\nExample: see `sr rules SUM_TYPE_NARROWED`; Confluent's json-schema-provider reports the same type.\nFix: keep every member.",
    ),
    rule(
        "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
        "Every member of a combination must pair with a compatible member on the other side.",
        "What: Every member of a combination must pair with a compatible member on the other side.\nWhy readers break: a member changed so that no member of the other side reads it.\nExample: see `sr rules COMBINED_TYPE_SUBSCHEMAS_CHANGED`; Confluent's json-schema-provider reports the same type.\nFix: change members only compatibly, or add a new member beside the old one.",
    ),
    rule(
        "NOT_TYPE_EXTENDED",
        "A `not` must not exclude more than before.",
        "What: A `not` must not exclude more than before.\nWhy readers break: values the writer could produce are now excluded.\nExample: see `sr rules NOT_TYPE_EXTENDED`; Confluent's json-schema-provider reports the same type.\nFix: exclude less, or nothing new.",
    ),
];

/// Why and what to do, per incompatible type.
fn explain(t: T) -> (&'static str, &'static str) {
    match t {
        T::SCHEMA_ADDED => ("values that were valid may not fit the new schema", "leave it out, or make it `{}`"),
        T::TYPE_NARROWED => ("1.5 was valid and no longer is", "keep `number`"),
        T::TYPE_CHANGED => ("the reader expects another kind of value than the writer produced", "keep the type; to accept more, widen with anyOf/oneOf including the old type"),
        T::MAX_LENGTH_ADDED => ("values the old `maxLength` allowed fall outside the new one", "keep the old `maxLength` or loosen it"),
        T::MAX_LENGTH_DECREASED => ("values the old `maxLength` allowed fall outside the new one", "keep the old `maxLength` or loosen it"),
        T::MIN_LENGTH_ADDED => ("values the old `minLength` allowed fall outside the new one", "keep the old `minLength` or loosen it"),
        T::MIN_LENGTH_INCREASED => ("values the old `minLength` allowed fall outside the new one", "keep the old `minLength` or loosen it"),
        T::PATTERN_ADDED => ("strings that matched the old pattern may not match the new one", "keep the pattern as it was, or remove it"),
        T::PATTERN_CHANGED => ("strings that matched the old pattern may not match the new one", "keep the pattern as it was, or remove it"),
        T::MAXIMUM_ADDED => ("maximum added", "revert the change"),
        T::MAXIMUM_DECREASED => ("maximum decreased", "revert the change"),
        T::MINIMUM_ADDED => ("minimum added", "revert the change"),
        T::MINIMUM_INCREASED => ("minimum increased", "revert the change"),
        T::EXCLUSIVE_MAXIMUM_ADDED => ("values the old `exclusiveMaximum` allowed fall outside the new one", "keep the old `exclusiveMaximum` or loosen it"),
        T::EXCLUSIVE_MAXIMUM_DECREASED => ("values the old `exclusiveMaximum` allowed fall outside the new one", "keep the old `exclusiveMaximum` or loosen it"),
        T::EXCLUSIVE_MINIMUM_ADDED => ("values the old `exclusiveMinimum` allowed fall outside the new one", "keep the old `exclusiveMinimum` or loosen it"),
        T::EXCLUSIVE_MINIMUM_INCREASED => ("values the old `exclusiveMinimum` allowed fall outside the new one", "keep the old `exclusiveMinimum` or loosen it"),
        T::MULTIPLE_OF_ADDED => ("numbers that were multiples of the old value are not multiples of the new one", "keep multipleOf, or use a divisor of the old value"),
        T::MULTIPLE_OF_EXPANDED => ("numbers that were multiples of the old value are not multiples of the new one", "keep multipleOf, or use a divisor of the old value"),
        T::MULTIPLE_OF_CHANGED => ("numbers that were multiples of the old value are not multiples of the new one", "keep multipleOf, or use a divisor of the old value"),
        T::REQUIRED_ATTRIBUTE_ADDED => ("data written without the property is refused", "keep it optional, or give the property a `default`"),
        T::MAX_PROPERTIES_ADDED => ("values the old `maxProperties` allowed fall outside the new one", "keep the old `maxProperties` or loosen it"),
        T::MAX_PROPERTIES_DECREASED => ("values the old `maxProperties` allowed fall outside the new one", "keep the old `maxProperties` or loosen it"),
        T::MIN_PROPERTIES_ADDED => ("values the old `minProperties` allowed fall outside the new one", "keep the old `minProperties` or loosen it"),
        T::MIN_PROPERTIES_INCREASED => ("values the old `minProperties` allowed fall outside the new one", "keep the old `minProperties` or loosen it"),
        T::ADDITIONAL_PROPERTIES_REMOVED => ("objects with properties the writer allowed are refused by the reader's `additionalProperties`", "keep `additionalProperties` open (absent or true)"),
        T::ADDITIONAL_PROPERTIES_NARROWED => ("objects with properties the writer allowed are refused by the reader's `additionalProperties`", "keep `additionalProperties` open (absent or true)"),
        T::DEPENDENCY_ARRAY_ADDED => ("objects valid under the old dependencies are refused", "only remove dependencies, or narrow a dependency list"),
        T::DEPENDENCY_ARRAY_EXTENDED => ("objects valid under the old dependencies are refused", "only remove dependencies, or narrow a dependency list"),
        T::DEPENDENCY_ARRAY_CHANGED => ("objects valid under the old dependencies are refused", "only remove dependencies, or narrow a dependency list"),
        T::DEPENDENCY_SCHEMA_ADDED => ("objects valid under the old dependencies are refused", "only remove dependencies, or narrow a dependency list"),
        T::REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL => ("data written without the property is refused", "make the property optional, or give it a `default`"),
        T::REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL => ("an old writer could put any value under the new name, which the new schema constrains", "close the object in both versions (`\"additionalProperties\": false`) before adding properties, give the property the empty schema `{}`, or use the LENIENT policy"),
        T::OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL => ("an old writer could put any value under the new name, which the new schema constrains", "close the object in both versions (`\"additionalProperties\": false`) before adding properties, give the property the empty schema `{}`, or use the LENIENT policy"),
        T::REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL => ("data written without the property is refused", "make the property optional, or give it a `default`"),
        T::PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL => ("data that carries the property is refused by the reader", "keep the property, or open the object"),
        T::PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => ("the value is checked against a schema it does not fit", "make the covering schema accept the value, or keep the property/item on both sides"),
        T::PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => ("the value is checked against a schema it does not fit", "make the covering schema accept the value, or keep the property/item on both sides"),
        T::UNEVALUATED_PROPERTIES_REMOVED => ("objects with properties the writer allowed are refused by the reader's `unevaluatedProperties`", "keep `unevaluatedProperties` open (absent or true)"),
        T::UNEVALUATED_PROPERTIES_NARROWED => ("objects with properties the writer allowed are refused by the reader's `unevaluatedProperties`", "keep `unevaluatedProperties` open (absent or true)"),
        T::MAX_ITEMS_ADDED => ("values the old `maxItems` allowed fall outside the new one", "keep the old `maxItems` or loosen it"),
        T::MAX_ITEMS_DECREASED => ("values the old `maxItems` allowed fall outside the new one", "keep the old `maxItems` or loosen it"),
        T::MIN_ITEMS_ADDED => ("values the old `minItems` allowed fall outside the new one", "keep the old `minItems` or loosen it"),
        T::MIN_ITEMS_INCREASED => ("values the old `minItems` allowed fall outside the new one", "keep the old `minItems` or loosen it"),
        T::MAX_CONTAINS_ADDED => ("values the old `maxContains` allowed fall outside the new one", "keep the old `maxContains` or loosen it"),
        T::MAX_CONTAINS_DECREASED => ("values the old `maxContains` allowed fall outside the new one", "keep the old `maxContains` or loosen it"),
        T::MIN_CONTAINS_ADDED => ("values the old `minContains` allowed fall outside the new one", "keep the old `minContains` or loosen it"),
        T::MIN_CONTAINS_INCREASED => ("values the old `minContains` allowed fall outside the new one", "keep the old `minContains` or loosen it"),
        T::UNIQUE_ITEMS_ADDED => ("arrays with repeated items are refused", "leave uniqueItems out"),
        T::ADDITIONAL_ITEMS_REMOVED => ("arrays with items the writer allowed are refused", "keep `additionalItems` open (absent or true)"),
        T::ADDITIONAL_ITEMS_NARROWED => ("arrays with items the writer allowed are refused", "keep `additionalItems` open (absent or true)"),
        T::UNEVALUATED_ITEMS_REMOVED => ("arrays with items the writer allowed are refused", "keep `unevaluatedItems` open (absent or true)"),
        T::UNEVALUATED_ITEMS_NARROWED => ("arrays with items the writer allowed are refused", "keep `unevaluatedItems` open (absent or true)"),
        T::ITEM_ADDED_TO_OPEN_CONTENT_MODEL => ("an old writer could put any value at that position", "close the tuple (`additionalItems: false`) in both versions first, or give the item `{}`"),
        T::ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL => ("arrays with that item are refused", "keep the item, or open the tuple"),
        T::ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => ("the value is checked against a schema it does not fit", "make the covering schema accept the value, or keep the property/item on both sides"),
        T::ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => ("the value is checked against a schema it does not fit", "make the covering schema accept the value, or keep the property/item on both sides"),
        T::ENUM_ARRAY_NARROWED => ("a value the writer could use is no longer allowed", "only add values to the enum"),
        T::ENUM_ARRAY_CHANGED => ("a value the writer could use is no longer allowed", "only add values to the enum"),
        T::COMBINED_TYPE_CHANGED => ("the reader combines the members more strictly than the writer", "keep allOf/anyOf/oneOf as it was, or change it to anyOf"),
        T::PRODUCT_TYPE_EXTENDED => ("each new member is one more constraint old data may break", "put the new constraint on a new property, or leave allOf as it was"),
        T::SUM_TYPE_NARROWED => ("data of the removed member is refused", "keep every member"),
        T::COMBINED_TYPE_SUBSCHEMAS_CHANGED => ("a member changed so that no member of the other side reads it", "change members only compatibly, or add a new member beside the old one"),
        T::NOT_TYPE_EXTENDED => ("values the writer could produce are now excluded", "exclude less, or nothing new"),
        _ => ("a compatible change", "nothing to do"),
    }
}

/// The violation of one incompatible difference.
pub fn violation(d: &Difference, _original: &Model, _update: &Model) -> Violation {
    let (why, fix) = explain(d.ty);
    let what = d.ty.id().to_ascii_lowercase().replace('_', " ");
    Violation {
        rule: d.ty.id(),
        path: d.path.clone(),
        other_path: None,
        message: format!("{}: {what}: {why}", d.path),
        fix: Some(fix.to_string()),
        direction: Direction::Backward,
        against: None,
    }
}
