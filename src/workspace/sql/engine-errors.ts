import { SqlError, unsupported } from './errors.js';

/**
 * DuckDB binder and catalog failures that have a precise Databricks error class. Clients branch
 * on the class (`[MISSING_AGGREGATION]`, `[UNRESOLVED_COLUMN]`), so the generic mapping by DuckDB
 * error kind is refined here from the message DuckDB writes.
 */
const BY_MESSAGE: ReadonlyArray<{ pattern: RegExp; errorClass: string; sqlState: string }> = [
  { pattern: /Referenced column "[^"]*" not found/, errorClass: 'UNRESOLVED_COLUMN', sqlState: '42703' },
  { pattern: /must appear in the GROUP BY clause or must be part of an aggregate function/, errorClass: 'MISSING_AGGREGATION', sqlState: '42803' },
  { pattern: /aggregate function calls cannot be nested/, errorClass: 'NESTED_AGGREGATE_FUNCTION', sqlState: '42607' },
  { pattern: /Ambiguous reference to column name/, errorClass: 'AMBIGUOUS_REFERENCE', sqlState: '42704' },
  { pattern: /More than one row returned by a subquery used as an expression/, errorClass: 'SCALAR_SUBQUERY_TOO_MANY_ROWS', sqlState: '21000' },
  // sum() of BIGINT accumulates in a HUGEINT; narrowing it back is where a Databricks long sum overflows
  { pattern: /Type INT128 with value -?\d+ can't be cast because the value is out of range for the destination type INT64/, errorClass: 'ARITHMETIC_OVERFLOW', sqlState: '22003' },
  // integral casts go through DECIMAL (functions.ts integralCast): narrowing that decimal is the overflow
  { pattern: /Failed to cast decimal value -?[\d.]+ to type U?INT(?:8|16|32|64)\b/, errorClass: 'CAST_OVERFLOW', sqlState: '22003' },
  { pattern: /Casting value "[^"]*" to type DECIMAL\(\d+,\s*\d+\) failed: value is out of range/, errorClass: 'NUMERIC_VALUE_OUT_OF_RANGE', sqlState: '22003' },
  // make_date(y, m, d) with a field out of its range (DuckDB checks the assembled date)
  { pattern: /Conversion Error: Date out of range: -?\d+-\d+-\d+/, errorClass: 'DATETIME_FIELD_OUT_OF_BOUNDS', sqlState: '22023' },
  { pattern: /Set operations can only apply to expressions with the same number of result columns/, errorClass: 'NUM_COLUMNS_MISMATCH', sqlState: '42826' },
];

/**
 * Databricks SQL built-in functions (SQL reference, "Alphabetical list of built-in functions").
 * When DuckDB has no function of that name the statement is valid Databricks SQL the local
 * warehouse cannot run: it is refused by name, not reported as an unknown routine.
 */
const DATABRICKS_BUILTINS = new Set(
  `abs acos acosh add_months aes_decrypt aes_encrypt aggregate ai_query any any_value approx_count_distinct approx_percentile
  array array_agg array_append array_compact array_contains array_distinct array_except array_insert array_intersect array_join
  array_max array_min array_position array_prepend array_remove array_repeat array_size array_sort array_union arrays_overlap
  arrays_zip ascii asin asinh assert_true atan atan2 atanh avg base64 between bigint bin binary bit_and bit_count bit_get
  bit_length bit_or bit_reverse bit_xor bitmap_bit_position bitmap_bucket_number bitmap_construct_agg bitmap_count bitmap_or_agg
  bool_and bool_or boolean bround btrim cardinality cast cbrt ceil ceiling char char_length character_length charindex chr
  coalesce collect_list collect_set concat concat_ws contains conv convert_timezone corr cos cosh cot count count_if
  count_min_sketch covar_pop covar_samp crc32 csc cume_dist curdate current_catalog current_database current_date
  current_metastore current_schema current_timestamp current_timezone current_user current_version date date_add date_diff
  date_format date_from_unix_date date_part date_sub date_trunc dateadd datediff datepart day dayname dayofmonth dayofweek
  dayofyear decimal decode degrees dense_rank div double e element_at elt encode endswith equal_null every exists exp explode
  explode_outer expm1 extract factorial filter find_in_set first first_value flatten float floor forall format_number
  format_string from_csv from_json from_unixtime from_utc_timestamp from_xml get get_json_object getbit greatest grouping
  grouping_id hash hex histogram_numeric hll_sketch_agg hll_sketch_estimate hll_union hll_union_agg hour hypot if ifnull
  ilike initcap inline inline_outer input_file_name instr int is_account_group_member is_member is_valid_utf8 isnan
  isnotnull isnull java_method json_array_length json_object_keys json_tuple kurtosis lag last last_day last_value lcase lead
  least left len length levenshtein like ln localtimestamp locate log log10 log1p log2 lower lpad ltrim luhn_check make_date
  make_dt_interval make_interval make_timestamp make_timestamp_ltz make_timestamp_ntz make_valid_utf8 make_ym_interval
  map map_concat map_contains_key map_entries map_filter map_from_arrays map_from_entries map_keys map_values map_zip_with
  mask max max_by md5 mean median min min_by minute mod mode monotonically_increasing_id month monthname months_between
  named_struct nanvl negative next_day now nth_value ntile nullif nullifzero nvl nvl2 octet_length overlay parse_json
  parse_url percent_rank percentile percentile_approx percentile_cont percentile_disc pi pmod posexplode posexplode_outer
  position positive pow power printf quarter radians raise_error rand randn random randstr range rank reduce reflect regexp
  regexp_count regexp_extract regexp_extract_all regexp_instr regexp_like regexp_replace regexp_substr regr_avgx regr_avgy
  regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy repeat replace reverse right rint rlike round
  row_number rpad rtrim schema_of_csv schema_of_json schema_of_xml sec second sentences sequence session_user sha sha1 sha2
  shiftleft shiftright shiftrightunsigned shuffle sign signum sin sinh size skewness slice smallint some sort_array soundex
  space spark_partition_id split split_part sqrt stack startswith std stddev stddev_pop stddev_samp str_to_map string
  string_agg struct substr substring substring_index sum tan tanh timestamp timestamp_micros timestamp_millis
  timestamp_seconds timestampadd timestampdiff tinyint to_binary to_char to_csv to_date to_json to_number to_timestamp
  to_unix_timestamp to_utc_timestamp to_varchar to_xml transform transform_keys transform_values translate trim trunc
  try_add try_aes_decrypt try_avg try_cast try_divide try_element_at try_mod try_multiply try_parse_json try_reflect
  try_subtract try_sum try_to_binary try_to_number try_to_timestamp typeof ucase unbase64 unhex uniform unix_date
  unix_micros unix_millis unix_seconds unix_timestamp upper url_decode url_encode user uuid var_pop var_samp variance
  variant_get version weekday weekofyear width_bucket window window_time xpath xxhash64 year zeroifnull zip_with`.split(/\s+/),
);

/** The Databricks error for a DuckDB binder/catalog message, or undefined to keep the generic mapping. */
export function refineEngineError(message: string, prefixed: string): SqlError | undefined {
  for (const m of BY_MESSAGE) if (m.pattern.test(message)) return new SqlError(m.errorClass, prefixed, 'BAD_REQUEST', m.sqlState);
  const missing = /^Catalog Error: (?:Scalar|Aggregate|Table) Function with name "?([A-Za-z_0-9]+)"? does not exist/.exec(message);
  if (missing && DATABRICKS_BUILTINS.has(missing[1]!.toLowerCase())) {
    return unsupported(`the function ${missing[1]!.toLowerCase()}()`, 'It is a Databricks built-in the local engine does not implement.');
  }
  return undefined;
}
